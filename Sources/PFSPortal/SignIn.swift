import Foundation
import Hummingbird
import PFSModel
import PFSRegister
import PFSStatements

/// How a sign-in ended.
enum SignInOutcome: Sendable {
    case signedIn(token: String)
    /// A wrong name, password or code, or a locked account: counted against the address.
    case refused(Phrase)
    /// Too many failures from the address: no password was checked.
    case throttled(Phrase)
}

/// Signing in and out, and taking up an invitation.
extension Portal {
    static let signInTitle = Phrase("Sign in", "サインイン")
    static let setUpTitle = Phrase("Set up your account", "アカウントの設定")
    static let shortPassword = Phrase(
        "The password must have at least \(Credentials.minimumPasswordLength) characters",
        "パスワードは\(Credentials.minimumPasswordLength)文字以上にしてください")
    static let passwordsDiffer = Phrase("The two passwords differ", "2つのパスワードが一致しません")
    static let wrongCode = Phrase(
        "The code is not the one your authenticator app shows: enter its 6 digits",
        "確認コードが正しくありません。認証アプリに表示された6桁を入力してください")
    /// The invitation form's problems, in the order of its fields.
    static let invitationProblems = [shortPassword, passwordsDiffer, wrongCode]
    static let wrongCredentials = Phrase(
        "The account name, password or code is not right.", "アカウント名、パスワード、確認コードのいずれかが正しくありません。")

    /// The form's token for a page shown before sign-in, as a cookie and a hidden field.
    func formToken() -> (token: String, cookie: Cookie) {
        let token = Credentials.randomToken()
        return (token, cookie(Cookies.form, token, maxAge: 60 * 60))
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .strict)
    }

    func signInForm(_ request: Request, errors: [[String: String]] = [], account: String = "", status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let (token, cookie) = formToken()
        var response = Responses.html(
            Pages.render(
                "sign-in", title: Self.signInTitle, language: Pages.language(accepted: request.headers[.acceptLanguage]),
                context: [
                    "csrf": token, "next": Responses.localPath(request.uri.queryParameters.get("next")),
                    "account": account, "errors": errors, "hasErrors": !errors.isEmpty,
                ]),
            status: status)
        response.setCookie(cookie)
        return response
    }

    /// Checks a pre-sign-in form's token against its cookie.
    func requireFormToken(_ request: Request, _ fields: [String: String]) throws {
        guard let cookie = request.cookies[Cookies.form]?.value, let field = fields["csrf"],
            Credentials.same(cookie, field)
        else { throw Refusal.csrf }
    }

    func signIn(_ request: Request, _ context: PortalContext) async throws -> Response {
        let fields = try await Forms.fields(request, limit: configuration.maximumFormBytes)
        try requireFormToken(request, fields)
        let name = fields["account", default: ""].trimmingCharacters(in: .whitespaces)
        let password = fields["password", default: ""]
        let code = fields["code", default: ""]
        let next = Responses.localPath(fields["next"])
        let now = self.now
        let configuration = self.configuration
        let address = context.clientAddress(request)
        let outcome = try await pool.use { register -> SignInOutcome in
            let db = register.store.sql
            let since = now - configuration.addressWindow
            // Before any password is checked: bcrypt's cost is the server's too.
            if try await PortalStore.addressFailures(address, since: since, in: db) >= configuration.addressLimit {
                try await register.recordAccess(
                    AccessRecord(
                        kind: .signInRefused, account: name.isContractIdentifier ? name : "(not an account name)",
                        member: nil, reason: "too many failed sign-ins from this address"))
                return .throttled(Self.tooManyFromAddress(configuration))
            }
            let outcome = try await checkSignIn(name, password: password, code: code, now: now, register)
            if case .refused = outcome {
                try await PortalStore.recordAddressFailure(address, at: now, forgetBefore: since, in: db)
            }
            return outcome
        }
        switch outcome {
        case .signedIn(let token):
            return Responses.redirect(
                to: next, cookies: [cookie(Cookies.session, token), cookie(Cookies.form, "", maxAge: 0)])
        case .refused(let why):
            return try await signInForm(
                request,
                errors: [
                    ["field": "account", "message": why.text(Pages.language(accepted: request.headers[.acceptLanguage]))]
                ], account: name,
                status: .unauthorized)
        case .throttled(let why):
            var response = try await signInForm(
                request,
                errors: [
                    ["field": "account", "message": why.text(Pages.language(accepted: request.headers[.acceptLanguage]))]
                ], account: name,
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(configuration.addressWindow)
            return response
        }
    }

    /// What a sign-in from an address that failed too often is told.
    static func tooManyFromAddress(_ configuration: PortalConfiguration) -> Phrase {
        Phrase(
            "Too many failed sign-ins came from your network address. Try again in \(configuration.addressWindow / 60) minutes.",
            "このネットワークアドレスからのサインインの失敗が多すぎます。\(configuration.addressWindow / 60)分後に再度お試しください。")
    }

    /// The outcome of one sign-in's name, password and code, recorded as the register's
    /// access events and the account's failures.
    private func checkSignIn(_ name: String, password: String, code: String, now: Int, _ register: Register)
        async throws -> SignInOutcome
    {
        let configuration = self.configuration
        let db = register.store.sql
        guard let account = try await PortalStore.account(name, in: db), account.isActive,
            let hash = account.passwordHash, let secret = account.totpSecret
        else {
            // As long as a wrong password takes, so that a refusal does not tell which names exist.
            _ = Credentials.verify(password, hash: Credentials.decoyHash)
            try await register.recordAccess(
                AccessRecord(
                    kind: .signInRefused, account: name.isContractIdentifier ? name : "(not an account name)",
                    member: nil, reason: "unknown account"))
            return .refused(Self.wrongCredentials)
        }
        if let until = account.lockedUntil, until > now {
            try await register.recordAccess(
                AccessRecord(kind: .signInRefused, account: name, member: account.member, reason: "locked"))
            let minutes = (until - now + 59) / 60
            return .refused(
                Phrase(
                    "This account is locked after \(configuration.lockAfter) failed sign-ins. Try again in \(minutes) minutes, or ask the administrator.",
                    "サインインに\(configuration.lockAfter)回失敗したため、このアカウントはロックされています。\(minutes)分後に再度お試しいただくか、管理者に連絡してください。"
                ))
        }
        guard Credentials.verify(password, hash: hash), Credentials.isValidCode(code, secret: secret, at: Date(timeIntervalSince1970: TimeInterval(now)))
        else {
            let failures = account.failedAttempts + 1
            let lock = failures >= configuration.lockAfter ? now + configuration.lockSeconds : nil
            try await PortalStore.recordFailure(name, lockUntil: lock, in: db)
            try await register.recordAccess(
                AccessRecord(
                    kind: .signInRefused, account: name, member: account.member,
                    reason: lock == nil ? "wrong password or code" : "wrong password or code; locked"))
            return .refused(Self.wrongCredentials)
        }
        try await PortalStore.clearFailures(name, in: db)
        let token = Credentials.randomToken()
        try await PortalStore.insert(
            Session(
                tokenSha256: Credentials.digest(token), account: name, csrf: Credentials.randomToken(),
                createdAt: now, seenAt: now),
            in: db)
        try await register.recordAccess(AccessRecord(kind: .signedIn, account: name, member: account.member))
        return .signedIn(token: token)
    }

    func signOut(_ request: Request, _ context: PortalContext) async throws -> Response {
        guard let viewer = try await viewer(request) else { return Responses.redirect(to: "/sign-in") }
        _ = try await form(request, context, viewer: viewer)
        try await pool.use { register in
            try await PortalStore.endSession(viewer.session.tokenSha256, in: register.store.sql)
            try await register.recordAccess(
                AccessRecord(kind: .signedOut, account: viewer.account.name, member: viewer.account.member))
        }
        return Responses.redirect(to: "/sign-in", cookies: [cookie(Cookies.session, "", maxAge: 0)])
    }

    // MARK: invitations

    /// The invitation `token` names, when it is unused and not expired.
    func openInvitation(_ token: String) async throws -> Invitation? {
        let now = self.now
        return try await pool.use { register -> Invitation? in
            guard let invitation = try await PortalStore.invitation(Credentials.digest(token), in: register.store.sql),
                invitation.usedAt == nil, invitation.expiresAt > now
            else { return nil }
            return invitation
        }
    }

    func invitationForm(_ request: Request, _ context: PortalContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let invitation = try await openInvitation(token) else { return notFound(nil, api: false) }
        return try await invitationPage(invitation, token: token, errors: [:])
    }

    /// The language the administrator chose for the invited account.
    func language(of account: String) async throws -> Language {
        let chosen = try await pool.use { register in
            try await PortalStore.account(account, in: register.store.sql)?.language
        }
        return chosen.flatMap(Language.init(rawValue:)) ?? .ja
    }

    func invitationPage(_ invitation: Invitation, token: String, errors: [Phrase: String]) async throws -> Response {
        let language = try await language(of: invitation.account)
        let (formToken, cookie) = formToken()
        let url = Credentials.authenticatorURL(secret: invitation.totpSecret, account: invitation.account)
        // The key as the app shows it: the base-32 text of the secret's bytes, from the URL.
        let secret = URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        var response = Responses.html(
            Pages.render(
                "invitation", title: Self.setUpTitle, language: language,
                context: [
                    "csrf": formToken, "token": token, "account": invitation.account, "secret": secret,
                    "otpauth": url,
                    "errors": Self.invitationProblems.filter { errors[$0] != nil }.map {
                        ["field": errors[$0] ?? "", "message": $0.text(language)]
                    },
                    "hasErrors": !errors.isEmpty,
                ]),
            status: errors.isEmpty ? .ok : .badRequest)
        response.setCookie(cookie)
        return response
    }

    func acceptInvitation(_ request: Request, _ context: PortalContext) async throws -> Response {
        let fields = try await Forms.fields(request, limit: configuration.maximumFormBytes)
        try requireFormToken(request, fields)
        let token = fields["token", default: ""]
        guard let invitation = try await openInvitation(token) else { return notFound(nil, api: false) }
        let password = fields["password", default: ""]
        // Each problem with the field it points to.
        var errors: [Phrase: String] = [:]
        if password.count < Credentials.minimumPasswordLength {
            errors[Self.shortPassword] = "password"
        } else if password != fields["confirm"] {
            errors[Self.passwordsDiffer] = "confirm"
        }
        if !Credentials.isValidCode(fields["code", default: ""], secret: invitation.totpSecret, at: configuration.now()) {
            errors[Self.wrongCode] = "code"
        }
        if !errors.isEmpty { return try await invitationPage(invitation, token: token, errors: errors) }
        let hash = Credentials.hash(password, cost: configuration.bcryptCost)
        let now = self.now
        try await pool.use { register in
            let db = register.store.sql
            try await PortalStore.setCredentials(
                invitation.account, passwordHash: hash, totpSecret: invitation.totpSecret, in: db)
            try await PortalStore.markUsed(invitation.tokenSha256, at: now, in: db)
        }
        return Responses.redirect(to: "/sign-in", cookies: [cookie(Cookies.form, "", maxAge: 0)])
    }
}
