import Foundation
import Hummingbird
import PFSStatements

/// How the portal answers: HTML pages, JSON, redirects, files.
enum Responses {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]))
            ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 303: the browser follows with a GET (after a form, and to the sign-in page).
    static func redirect(to location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func file(_ bytes: [UInt8], contentType: String, fileName: String, attachment: Bool) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: contentType,
                .contentDisposition: "\(attachment ? "attachment" : "inline"); filename=\"\(fileName)\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Nothing the viewer may see is here: the same answer whether or not something is.
    static func notFound(_ viewer: Viewer?, api: Bool) -> Response {
        if api { return json(["error": "not found"], status: .notFound) }
        let language = viewer?.language ?? .ja
        return html(
            Pages.render(
                "message", title: Phrase(Pages.word("notFound", .en), Pages.word("notFound", .ja)), language: language,
                context: ["message": Pages.word("notFoundText", language)], signedIn: viewer),
            status: .notFound)
    }

    static func refusal(_ refusal: Refusal, api: Bool) -> Response {
        let (status, why): (HTTPResponse.Status, Phrase)
        switch refusal {
        case .csrf:
            (status, why) = (
                .forbidden,
                Phrase(
                    "The form was not sent from this portal's own page (its security token is missing or old). Nothing was changed: open the page again and send it from there.",
                    "フォームがこのポータルの画面から送信されていません（確認用トークンがないか古いものです）。何も変更していません。画面を開き直して送信してください。"
                )
            )
        case .tooLarge:
            (status, why) = (
                .contentTooLarge,
                Phrase("What was sent is larger than the portal accepts. Nothing was changed.", "送信された内容が大きすぎます。何も変更していません。")
            )
        case .noKey:
            (status, why) = (
                .badRequest,
                Phrase(
                    "Give the member's public key (publicKey, 32 bytes in base64): the page reads it from the key file. Nothing was changed.",
                    "メンバーの公開鍵（publicKey、32バイトのbase64）がありません。画面が鍵ファイルから読み取ります。何も変更していません。")
            )
        case .malformed:
            (status, why) = (
                .badRequest,
                Phrase("What was sent is not a form the portal reads. Nothing was changed.", "送信された内容をフォームとして読めません。何も変更していません。")
            )
        }
        if api { return json(["error": why.en], status: status) }
        return html(
            Pages.render(
                "message", title: Phrase(Pages.word("refused", .en), Pages.word("refused", .ja)), language: .ja,
                context: ["message": why.ja + " / " + why.en]),
            status: status)
    }

    /// A path for `?next=`, percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }

    /// Where to go after sign-in: a path of this portal only, never another site
    /// (`//evil.example`, `/\evil.example`, `https://…` all give `/`).
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.contains(where: { $0.isNewline || $0 == "\\" }), !next.hasPrefix("/sign-in")
        else { return "/" }
        return next
    }
}

/// Reading a form's fields.
enum Forms {
    /// The fields of an `application/x-www-form-urlencoded` body of at most `limit` bytes.
    static func fields(_ request: Request, limit: Int) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        else { throw Refusal.malformed }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw Refusal.tooLarge
        }
        return try parse(String(buffer: buffer))
    }

    /// Fields of an URL-encoded text (a repeated name keeps its first value).
    static func parse(_ text: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw Refusal.malformed
            }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
