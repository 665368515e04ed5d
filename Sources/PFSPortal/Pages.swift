import Foundation
import Mustache
import PFSStatements

/// The portal's pages: one Mustache template each inside one layout, escaped by Mustache
/// (`{{…}}`) except the body the layout wraps, which a template made. Habits of public-sector
/// design systems (GOV.UK, Japan's Digital Agency): one task per page, an error summary first
/// in a form that failed, a label on every field, a skip link, landmarks, strong contrast.
enum Pages {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch {
                preconditionFailure("the portal's template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// A page: `template` rendered with `context` inside the layout.
    static func render(
        _ template: String, title: Phrase, language: Language, context: [String: Any], signedIn: Viewer? = nil
    ) -> String {
        let body = library.render(context.merging(words(language)) { own, _ in own }, withTemplate: template) ?? ""
        var layout: [String: Any] = words(language)
        layout["lang"] = language.rawValue
        layout["title"] = title.text(language)
        layout["body"] = body
        if let signedIn {
            layout["signedIn"] = ["account": signedIn.account.name, "csrf": signedIn.session.csrf]
            layout["administrator"] = signedIn.account.administrator
            layout["finance"] = Access.permits(.budget, signedIn)
        }
        return library.render(layout, withTemplate: "layout") ?? ""
    }

    /// The language of a page shown before sign-in: English when the browser prefers it to
    /// Japanese (its Accept-Language), Japanese otherwise.
    static func language(accepted header: String?) -> Language {
        var best: (language: Language, weight: Double)?
        for part in (header ?? "").split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = pieces.first,
                let language = Language(rawValue: String(tag.split(separator: "-").first ?? ""))
            else { continue }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if weight > (best?.weight ?? 0) { best = (language, weight) }
        }
        return best?.language ?? .ja
    }

    /// One label in `language` (the key itself when there is none, so a missing one shows).
    static func word(_ key: String, _ language: Language) -> String { vocabulary[key]?.text(language) ?? key }

    /// The labels of every page, in `language`.
    static func words(_ language: Language) -> [String: Any] {
        var words: [String: Any] = [:]
        for (key, phrase) in vocabulary { words[key] = phrase.text(language) }
        return ["w": words]
    }
}
