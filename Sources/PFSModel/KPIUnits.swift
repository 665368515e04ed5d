/// The words statements use for a KPI's unit, and which units are ratios.
extension KPI {
    /// A unit's Japanese word, for the common English units (persons → 人); nil for a unit
    /// pfs does not know (a Japanese unit such as 千円 needs none).
    public static func japaneseUnit(_ unit: String) -> String? {
        let words = [
            "%": "%", "percent": "%", "percentage points": "ポイント", "persons": "人", "people": "人",
            "participants": "人", "children": "人", "days": "日", "years": "年", "months": "か月", "rate": "率",
            "cases": "件", "events": "件", "entries": "件", "yen": "円", "thousand yen": "千円", "km": "km",
        ]
        return words[unit.lowercased()]
    }

    /// Whether values in `unit` are ratios (0.58) that statements show as percentages (58%).
    public static func isRate(unit: String) -> Bool { ["rate", "ratio", "share"].contains(unit.lowercased()) }
}
