/// Text written into the XML pfs makes itself (SVG charts, workbook parts, contract
/// skeletons).
public enum XMLText {
    /// `text` as character data or a double-quoted attribute value. The contract's texts
    /// hold no control characters (the loader refuses them), so nothing else needs care.
    public static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
