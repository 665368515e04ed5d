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

    static let vocabulary: [String: Phrase] = [
        "service": Phrase("pfs — outcome-based contracts", "pfs 成果連動型契約"),
        "skip": Phrase("Skip to main content", "本文へ移動"),
        "signIn": Phrase("Sign in", "サインイン"),
        "signOut": Phrase("Sign out", "サインアウト"),
        "signedInAs": Phrase("Signed in as", "サインイン中："),
        "account": Phrase("Account name", "アカウント名"),
        "accountHint": Phrase("Your member id in the register", "登録簿上のメンバーID"),
        "password": Phrase("Password", "パスワード"),
        "passwordHint": Phrase(
            "At least \(Credentials.minimumPasswordLength) characters",
            "\(Credentials.minimumPasswordLength)文字以上"),
        "confirm": Phrase("Password again", "パスワード（確認）"),
        "code": Phrase("Code from your authenticator app", "認証アプリの確認コード"),
        "codeHint": Phrase("6 digits", "6桁の数字"),
        "problem": Phrase("There is a problem", "入力内容に問題があります"),
        "contracts": Phrase("Your contracts", "担当する契約"),
        "noContracts": Phrase(
            "No contract is shared with your organisation yet.", "あなたの組織に割り当てられた契約はまだありません。"),
        "contract": Phrase("Contract", "契約"),
        "roles": Phrase("Your role", "あなたの役割"),
        "years": Phrase("Years", "年度"),
        "year": Phrase("Outcome year", "成果年度"),
        "paymentYear": Phrase("Paid from the budget of", "支払年度"),
        "state": Phrase("State", "状態"),
        "dues": Phrase("Amounts due", "支払額"),
        "payer": Phrase("Payer", "支払者"),
        "payee": Phrase("Payee", "受取者"),
        "amount": Phrase("Amount", "金額"),
        "paid": Phrase("Paid", "支払済"),
        "statements": Phrase("Statements", "帳票"),
        "document": Phrase("Document", "帳票名"),
        "party": Phrase("For", "宛先"),
        "language": Phrase("Language", "言語"),
        "format": Phrase("Format", "形式"),
        "open": Phrase("Open", "開く"),
        "sha256": Phrase("SHA-256", "SHA-256"),
        "noYears": Phrase("No year of this contract is settled yet.", "この契約の年度はまだ算定されていません。"),
        "administration": Phrase("Accounts", "アカウント管理"),
        "member": Phrase("Member", "メンバー"),
        "organisation": Phrase("Organisation", "組織"),
        "accountState": Phrase("Portal account", "ポータルのアカウント"),
        "invite": Phrase("Make a sign-in link", "サインイン用リンクを発行"),
        "inviteHint": Phrase(
            "The link works once, for 7 days. Give it to the member yourself: pfs sends no e-mail.",
            "リンクは1回限り・7日間有効です。メンバーに直接渡してください（pfs はメールを送りません）。"),
        "link": Phrase("Sign-in link", "サインイン用リンク"),
        "grant": Phrase("Grant an auditor read access", "監査人に閲覧を許可"),
        "grantHint": Phrase(
            "The account sees the contract's statements and changes nothing.", "その契約の帳票を閲覧のみできます。"),
        "setUp": Phrase("Set up your account", "アカウントの設定"),
        "secret": Phrase("Key for your authenticator app", "認証アプリに登録するキー"),
        "secretHint": Phrase(
            "Add it to an authenticator app (type it, or open the otpauth link), then enter the code it shows.",
            "認証アプリにこのキーを登録し（入力するか otpauth リンクを開く）、表示された確認コードを入力してください。"),
        "save": Phrase("Save and continue", "保存して続ける"),
        "notFound": Phrase("Page not found", "ページが見つかりません"),
        "notFoundText": Phrase(
            "There is nothing here you can see. Check the address, or go back to your contracts.",
            "表示できるものはありません。アドレスを確認するか、契約の一覧に戻ってください。"),
        "back": Phrase("Back to your contracts", "契約の一覧に戻る"),
        "refused": Phrase("The request was refused", "要求は受け付けられませんでした"),
        "active": Phrase("active", "有効"),
        "invited": Phrase("invited, not set up", "招待済み（未設定）"),
        "none": Phrase("none", "なし"),
        "budget": Phrase("Budget", "予算の見通し"),
        "issuedPaid": Phrase("Issued, paid and outstanding", "発行済・支払済・未払"),
        "issued": Phrase("Issued", "発行済"),
        "outstanding": Phrase("Outstanding", "未払"),
        "nothingIssued": Phrase("Nothing has been issued yet.", "発行済の支払はまだありません。"),
        "envelope": Phrase("Future years: the least and the most", "今後の年度：最少額と最大額"),
        "envelopeHint": Phrase(
            "What the contracts' rules allow in each year not yet settled, whatever the outcomes (in the currency; per contract in its own unit below).",
            "まだ算定していない各年度に、成果にかかわらず契約の規則が許す支払の最少額と最大額（通貨単位。契約ごとの表は契約の金額単位）。"),
        "least": Phrase("Least", "最少額"),
        "most": Phrase("Most", "最大額"),
        "noMaximum": Phrase("no maximum", "上限の定めなし"),
        "noEnvelope": Phrase("Every year of your contracts is settled.", "担当する契約の全年度が算定済みです。"),
        "remaining": Phrase("Remaining to the contract's maximum", "支払上限額までの残額"),
        "reason": Phrase("Why it is sent back", "差戻しの理由"),
        "keyID": Phrase("Key", "鍵"),
        "explain": Phrase("Where each amount came from (explain)", "各金額の算定根拠（explain）"),
        "explainHint": Phrase(
            "Every figure of the year with the figures it is made of, down to the contract's values: the same tree as `pfs explain`.",
            "その年度の各金額を、それを構成する数値から契約の値まで遡って示します（`pfs explain` と同じ内容）。"),
        "fingerprint": Phrase(
            "The register's authority (compare with the fingerprint the city published)", "登録簿の認証者（市が公表したフィンガープリントと照合）"),
        "notSigned": Phrase("Not signed yet: it is signed at review and at approval.", "まだ署名されていません（検証時と承認時に署名されます）。"),
        "files": Phrase("Files", "ファイル"),
        "checkWithOpenSSL": Phrase("Check it with OpenSSL, without pfs", "pfs を使わずに OpenSSL で確認する"),
        "opensslHint": Phrase(
            "Save the files in one folder and run these commands there: each must print “Signature Verified Successfully”.",
            "ファイルを1つのフォルダに保存し、そこで次のコマンドを実行してください。すべて “Signature Verified Successfully” と表示されれば、署名は有効です。"),
        "signaturesLink": Phrase("signatures", "署名"),
        "settleTitle": Phrase("Settle a year", "年度を算定する"),
        "actualsFile": Phrase("The department's actual values (CSV or XLSX; optional)", "担当課の実績値の表（CSV または XLSX、任意）"),
        "actualsHint": Phrase(
            "Columns kpi, year, value, source (指標, 年度, 実績値, 出典). Check the changes before you sign.",
            "列は 指標・年度・実績値・出典（kpi, year, value, source）。署名の前に変更内容を確認してください。"),
        "previewChanges": Phrase("Show the changes", "変更内容を確認する"),
        "previewSummary": Phrase(
            "{added} added, {changed} changed, {unchanged} unchanged", "追加 {added} 件、変更 {changed} 件、変更なし {unchanged} 件"),
        "correctionSuffix": Phrase(" — correction of an issued year", "（発行済年度の修正）"),
        "correctionReason": Phrase("Reason for the correction (a year already issued only)", "修正の理由（発行済の年度のみ）"),
        "correctionHint": Phrase(
            "An issued year is never settled again: its adjustment statement records what changes, and this reason.",
            "発行済の年度は再算定しません。修正精算書に変更内容とこの理由を記録します。"),
        "correctsIssued": Phrase(
            "Values of issued years change: {years}. Choose the earliest of them as the year and give the reason.",
            "発行済の年度の値が変わります：{years}。年度にはそのうち最も早い年度を選び、理由を記入してください。"),
        "keepKey": Phrase(
            "Keep this key in this browser (it can sign here but cannot be read out again)",
            "この鍵をこのブラウザに保管する（署名にだけ使え、取り出すことはできません）"),
        "keptKey": Phrase(
            "Without a file, the key kept in this browser signs:", "ファイルを選ばなければ、このブラウザに保管した鍵で署名します："),
        "forgetKey": Phrase("Forget it", "保管をやめる"),
        "paidOn": Phrase("Paid on", "支払日"),
        "reference": Phrase("Payment reference", "支払の参照番号"),
        "keyFile": Phrase("Your signing key file (PEM)", "署名鍵ファイル（PEM）"),
        "keyHint": Phrase(
            "It is read in this browser only: the key never leaves your computer.",
            "このブラウザの中だけで読み込みます。鍵がこのコンピュータの外に送られることはありません。"),
        "signAndRecord": Phrase("Sign and record", "署名して記録する"),
        "noKey": Phrase("Choose your key file first.", "先に署名鍵ファイルを選んでください。"),
        "badKey": Phrase("The key file cannot be used:", "署名鍵ファイルを使えません："),
        "working": Phrase("Signing…", "署名しています…"),
        "done": Phrase("Recorded.", "記録しました。"),
        "failed": Phrase("The register kept changing; try again.", "登録簿の更新が続いたため記録できませんでした。もう一度お試しください。"),
        "firstYearTitle": Phrase("Settle the first year", "最初の年度を算定する"),
        "firstYearHint": Phrase(
            "The register holds no version of this contract yet: choose its file, which is checked as `pfs check` does and recorded with the year.",
            "登録簿にはまだこの契約がありません。契約ファイルを選んでください。`pfs check` と同じ検査を行い、年度とともに記録します。"),
        "yearHint": Phrase("The fiscal year, e.g. 2024", "会計年度（例：2024）"),
        "copies": Phrase("Copies to work with", "作業用の写し"),
        "copiesHint": Phrase(
            "Made again from the settled contract, and given only when its figures are the signed statement's byte for byte. Not signed themselves: the files below are.",
            "算定に用いた契約から作り直し、署名済みの帳票と数値が1バイトも違わない場合に限り提供します。写し自体には署名はありません（署名は下のファイルにあります）。"),
        "organisations": Phrase("Organisations", "組織"),
        "members": Phrase("Members", "メンバー"),
        "keys": Phrase("Keys", "鍵"),
        "bindings": Phrase("Contracts' parties", "契約の当事者"),
        "kind": Phrase("Kind", "種別"),
        "id": Phrase("Id", "ID"),
        "idHint": Phrase(
            "Letters, digits, '.', '_' and '-', starting with a letter; never reused", "英字で始まる英数字と . _ - （再利用不可）"),
        "nameJa": Phrase("Name in Japanese", "名称（日本語）"),
        "nameEn": Phrase("Name in English", "名称（英語）"),
        "inForce": Phrase("in force", "有効"),
        "revokedAt": Phrase("revoked (event {event})", "失効（イベント {event}）"),
        "role": Phrase("Role", "役割"),
        "contractParty": Phrase("Party", "当事者"),
        "authorityKey": Phrase("The authority's key file (PEM)", "認証者の鍵ファイル（PEM）"),
        "authorityKeyHint": Phrase(
            "Every change here is signed with it in this browser; the key never leaves your computer. The fingerprint below must be the one the city published.",
            "この画面の変更はすべて、このブラウザの中でこの鍵により署名されます。鍵がこのコンピュータの外に送られることはありません。下のフィンガープリントが市の公表したものと一致することを確認してください。"),
        "publicKeyFile": Phrase("The member's public key file (PEM, from `pfs key generate`)", "メンバーの公開鍵ファイル（PEM、`pfs key generate` で作成）"),
        "contractFile": Phrase("The contract file (XML)", "契約ファイル（XML）"),
        "contractFileHint": Phrase(
            "Every party is bound before the contract's first year is settled; or choose a contract the register holds.",
            "最初の年度を算定する前に、すべての当事者を割り当てます。登録簿にある契約を選ぶこともできます。"),
        "recordedContract": Phrase("Or a contract the register holds", "または登録簿にある契約"),
        "partyId": Phrase("The party's id in the contract", "契約上の当事者ID"),
        "subject": Phrase("What is revoked", "失効させる対象"),
        "subjectId": Phrase("Its id (a binding: CONTRACT/PARTY; a key: its first digits)", "そのID（割当ては 契約/当事者、鍵は先頭の数字）"),
        "revokeReason": Phrase("Why", "理由"),
        "revokeHint": Phrase(
            "What it signed before stays valid; from now on it acts no more.", "これまでの署名は有効なまま、今後は行動できなくなります。"),
    ]

    static let templates: [String: String] = [
        "layout": """
            <!DOCTYPE html>
            <html lang="{{lang}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} — {{w.service}}</title>
            <style>
            body { font-family: "IPAexGothic", "DejaVu Sans", sans-serif; margin: 0; color: #0b0c0c; background: #fff; line-height: 1.5; }
            a { color: #1d4ed8; } a:focus, button:focus, input:focus, select:focus { outline: 3px solid #ffbf47; outline-offset: 0; }
            .skip { position: absolute; left: -9999px; } .skip:focus { left: 1em; top: 1em; background: #ffbf47; color: #0b0c0c; }
            header, footer { background: #0b0c0c; color: #fff; padding: .75em 1.5em; }
            header a, footer a { color: #fff; } header form { display: inline; }
            main { max-width: 60em; padding: 1em 1.5em 3em; }
            table { border-collapse: collapse; margin: 1em 0; } th, td { border-bottom: 1px solid #b1b4b6; padding: .4em .8em .4em 0; text-align: left; vertical-align: top; }
            td.amount { text-align: right; font-variant-numeric: tabular-nums; }
            label { display: block; font-weight: bold; margin-top: 1em; } .hint { color: #505a5f; display: block; }
            input, select { font-size: 1em; padding: .3em; border: 2px solid #0b0c0c; min-width: 16em; }
            button { font-size: 1em; margin-top: 1.2em; padding: .5em 1em; background: #00703c; color: #fff; border: 0; cursor: pointer; }
            section.task button { display: block; }
            label.inline { display: inline; font-weight: normal; } input[type=checkbox] { min-width: 0; margin-top: .8em; }
            p.kept button { display: inline; margin: 0 0 0 .5em; padding: .2em .6em; background: #505a5f; }
            header button { margin: 0 0 0 1em; padding: .2em .6em; background: #fff; color: #0b0c0c; }
            .error-summary { border: 4px solid #d4351c; padding: 1em; margin: 1em 0; } .error-summary h2 { margin-top: 0; }
            .error { color: #d4351c; font-weight: bold; display: block; }
            code { word-break: break-all; }
            </style>
            </head>
            <body{{#signedIn}} data-account="{{account}}"{{/signedIn}}>
            <a class="skip" href="#main">{{w.skip}}</a>
            <header>
            <a href="/">{{w.service}}</a>
            {{#signedIn}}
            <span> · {{w.signedInAs}} {{account}}</span>
            {{#administrator}} · <a href="/admin/organisations">{{w.organisations}}</a> · <a href="/admin/accounts">{{w.administration}}</a>{{/administrator}}
            {{#finance}} · <a href="/budget">{{w.budget}}</a>{{/finance}}
            <form method="post" action="/sign-out"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{w.signOut}}</button></form>
            {{/signedIn}}
            </header>
            <main id="main">
            <h1>{{title}}</h1>
            {{{body}}}
            </main>
            <footer>pfs</footer>
            </body>
            </html>
            """,
        // What every signing task says while it works (the page's script reads them).
        "task-words": """
            data-csrf="{{csrf}}" data-nokey="{{w.noKey}}" data-badkey="{{w.badKey}}" data-working="{{w.working}}" data-done="{{w.done}}" data-failed="{{w.failed}}"
            """,
        "sign-button": """
            <button type="button" class="sign">{{w.signAndRecord}}</button>
            <p class="status" role="status" aria-live="polite"></p>
            """,
        // A member's key for a task, its id made unique by `keySuffix`; kept in the browser or not.
        "member-key": """
            <label for="key-{{keySuffix}}">{{w.keyFile}}<span class="hint">{{w.keyHint}}</span></label>
            <input type="file" class="key" id="key-{{keySuffix}}" accept=".pem">
            <div><input type="checkbox" class="keep" id="keep-{{keySuffix}}"> <label class="inline" for="keep-{{keySuffix}}">{{w.keepKey}}</label></div>
            <p class="kept" hidden>{{w.keptKey}} <code></code> <button type="button" class="forget">{{w.forgetKey}}</button></p>
            {{> sign-button}}
            """,
        "errors": """
            {{#hasErrors}}
            <div class="error-summary" role="alert" tabindex="-1">
            <h2>{{w.problem}}</h2>
            <ul>{{#errors}}<li><a href="#{{field}}">{{message}}</a></li>{{/errors}}</ul>
            </div>
            {{/hasErrors}}
            """,
        "sign-in": """
            {{> errors}}
            <form method="post" action="/sign-in" novalidate>
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="next" value="{{next}}">
            <label for="account">{{w.account}}<span class="hint">{{w.accountHint}}</span></label>
            <input id="account" name="account" autocomplete="username" value="{{account}}" required>
            <label for="password">{{w.password}}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <label for="code">{{w.code}}<span class="hint">{{w.codeHint}}</span></label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" required>
            <button type="submit">{{w.signIn}}</button>
            </form>
            """,
        "invitation": """
            {{> errors}}
            <p>{{w.account}}: <strong>{{account}}</strong></p>
            <form method="post" action="/invitation" novalidate>
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="token" value="{{token}}">
            <label for="password">{{w.password}}<span class="hint">{{w.passwordHint}}</span></label>
            <input id="password" name="password" type="password" autocomplete="new-password" required>
            <label for="confirm">{{w.confirm}}</label>
            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
            <h2>{{w.secret}}</h2>
            <p>{{w.secretHint}}</p>
            <p><code id="secret">{{secret}}</code></p>
            <p><a href="{{otpauth}}">otpauth</a></p>
            <label for="code">{{w.code}}<span class="hint">{{w.codeHint}}</span></label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
            <button type="submit">{{w.save}}</button>
            </form>
            """,
        "home": """
            {{#hasContracts}}
            <table>
            <thead><tr><th scope="col">{{w.contract}}</th><th scope="col">{{w.roles}}</th></tr></thead>
            <tbody>
            {{#contracts}}<tr><td><a href="/contracts/{{id}}">{{title}}</a> <span class="hint">{{id}}</span></td><td>{{roles}}</td></tr>{{/contracts}}
            </tbody>
            </table>
            {{/hasContracts}}
            {{^hasContracts}}<p>{{w.noContracts}}</p>{{/hasContracts}}
            {{#firstYears}}
            <section class="task" id="task-first-{{id}}" data-url="/api/contracts/{{id}}/years/{year}/settle"
             {{> task-words}}>
            <h2>{{w.firstYearTitle}}: {{id}}</h2>
            <p>{{w.firstYearHint}}</p>
            <label for="contract-{{id}}">{{w.contractFile}}</label>
            <input type="file" id="contract-{{id}}" name="contractFile" accept=".xml" data-field>
            <label for="year-{{id}}">{{w.year}}<span class="hint">{{w.yearHint}}</span></label>
            <input id="year-{{id}}" name="year" inputmode="numeric">
            {{> member-key}}
            </section>
            {{/firstYears}}
            {{#hasFirstYears}}<script src="/assets/sign.js"></script>{{/hasFirstYears}}
            """,
        "contract": """
            <p>{{w.roles}}: {{roles}}</p>
            <h2>{{w.years}}</h2>
            {{#hasYears}}
            <table>
            <thead><tr><th scope="col">{{w.year}}</th><th scope="col">{{w.paymentYear}}</th><th scope="col">{{w.state}}</th><th scope="col">{{w.dues}}</th></tr></thead>
            <tbody>
            {{#years}}<tr><td><a href="/contracts/{{contract}}/years/{{number}}">{{year}}</a></td><td>{{paymentYear}}</td><td>{{state}}</td><td>{{#dues}}{{payer}} → {{payee}} {{amount}}{{#paid}} ({{w.paid}}){{/paid}}<br>{{/dues}}</td></tr>{{/years}}
            </tbody>
            </table>
            {{/hasYears}}
            {{^hasYears}}<p>{{w.noYears}}</p>{{/hasYears}}
            {{#hasSettleYears}}
            <section class="task" id="task-settle" data-url="/api/contracts/{{id}}/years/{year}/settle" data-summary="{{w.previewSummary}}" data-corrects="{{w.correctsIssued}}"
             {{> task-words}}>
            <h2>{{w.settleTitle}}</h2>
            <label for="year-settle">{{w.year}}</label>
            <select id="year-settle" name="year">{{#settleYears}}<option value="{{number}}">{{name}}</option>{{/settleYears}}</select>
            <label for="actuals-settle">{{w.actualsFile}}<span class="hint">{{w.actualsHint}}</span></label>
            <input type="file" id="actuals-settle" name="actuals" accept=".csv,.xlsx">
            <button type="button" class="preview">{{w.previewChanges}}</button>
            <pre class="preview-lines" aria-live="polite"></pre>
            <label for="reason-settle">{{w.correctionReason}}<span class="hint">{{w.correctionHint}}</span></label>
            <textarea id="reason-settle" name="reason" rows="2" cols="60"></textarea>
            {{> member-key}}
            </section>
            <script src="/assets/sign.js"></script>
            {{/hasSettleYears}}
            <h2>{{w.statements}}</h2>
            <table>
            <thead><tr><th scope="col">{{w.year}}</th><th scope="col">{{w.document}}</th><th scope="col">{{w.party}}</th><th scope="col">{{w.format}}</th><th scope="col">{{w.sha256}}</th></tr></thead>
            <tbody>
            {{#statements}}<tr><td>{{year}}</td><td><a href="/statements/{{id}}">{{document}}</a> (<a href="/statements/{{id}}/signatures">{{w.signaturesLink}}</a>{{#downloads}} · <a href="{{href}}">{{label}}</a>{{/downloads}})</td><td>{{party}}</td><td>{{format}} · {{language}}</td><td><code>{{sha256}}</code></td></tr>{{/statements}}
            </tbody>
            </table>
            """,
        "accounts": """
            {{> errors}}
            {{#hasLink}}<div role="status"><h2>{{w.link}}</h2><p><code id="invitation-link">{{link}}</code></p><p>{{w.inviteHint}}</p></div>{{/hasLink}}
            <table>
            <thead><tr><th scope="col">{{w.member}}</th><th scope="col">{{w.organisation}}</th><th scope="col">{{w.accountState}}</th></tr></thead>
            <tbody>
            {{#members}}<tr><td>{{name}} <span class="hint">{{id}}</span></td><td>{{organisation}}</td><td>{{state}}</td></tr>{{/members}}
            </tbody>
            </table>
            <h2>{{w.invite}}</h2>
            <form method="post" action="/admin/accounts" novalidate>
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="member">{{w.member}}</label>
            <select id="member" name="member">{{#members}}<option value="{{id}}">{{id}} — {{name}}</option>{{/members}}</select>
            <label for="language">{{w.language}}</label>
            <select id="language" name="language"><option value="ja">日本語</option><option value="en">English</option></select>
            <p class="hint">{{w.inviteHint}}</p>
            <button type="submit">{{w.invite}}</button>
            </form>
            <h2>{{w.grant}}</h2>
            <form method="post" action="/admin/auditors" novalidate>
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="auditor">{{w.account}}</label>
            <select id="auditor" name="account">{{#accounts}}<option value="{{.}}">{{.}}</option>{{/accounts}}</select>
            <label for="grant-contract">{{w.contract}}</label>
            <select id="grant-contract" name="contract">{{#contracts}}<option value="{{.}}">{{.}}</option>{{/contracts}}</select>
            <p class="hint">{{w.grantHint}}</p>
            <button type="submit">{{w.grant}}</button>
            </form>
            """,
        "organisations": """
            <label for="authority-key">{{w.authorityKey}}<span class="hint">{{w.authorityKeyHint}}</span></label>
            <input type="file" id="authority-key" accept=".pem">
            <div><input type="checkbox" id="keep-authority"> <label class="inline" for="keep-authority">{{w.keepKey}}</label></div>
            <p id="kept-authority" hidden>{{w.keptKey}} <code></code> <button type="button" class="forget">{{w.forgetKey}}</button></p>
            <p>{{w.fingerprint}}: <code>{{fingerprint}}</code></p>
            <div id="trust" data-refresh>
            <h2>{{w.organisations}}</h2>
            <table>
            <thead><tr><th scope="col">{{w.id}}</th><th scope="col">{{w.organisation}}</th><th scope="col">{{w.kind}}</th><th scope="col">{{w.state}}</th></tr></thead>
            <tbody>{{#organisations}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{kind}}</td><td>{{state}}</td></tr>{{/organisations}}</tbody>
            </table>
            <h2>{{w.members}}</h2>
            <table>
            <thead><tr><th scope="col">{{w.id}}</th><th scope="col">{{w.member}}</th><th scope="col">{{w.organisation}}</th><th scope="col">{{w.state}}</th></tr></thead>
            <tbody>{{#members}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{organisation}}</td><td>{{state}}</td></tr>{{/members}}</tbody>
            </table>
            <h2>{{w.keys}}</h2>
            <table>
            <thead><tr><th scope="col">{{w.keyID}}</th><th scope="col">{{w.member}}</th><th scope="col">{{w.state}}</th></tr></thead>
            <tbody>{{#keys}}<tr><td><code>{{id}}</code></td><td>{{member}}</td><td>{{state}}</td></tr>{{/keys}}</tbody>
            </table>
            <h2>{{w.bindings}}</h2>
            <table>
            <thead><tr><th scope="col">{{w.contract}}</th><th scope="col">{{w.contractParty}}</th><th scope="col">{{w.role}}</th><th scope="col">{{w.organisation}}</th><th scope="col">{{w.state}}</th></tr></thead>
            <tbody>{{#bindings}}<tr><td>{{contract}}</td><td>{{party}}</td><td>{{role}}</td><td>{{organisation}}</td><td>{{state}}</td></tr>{{/bindings}}</tbody>
            </table>
            </div>
            {{#tasks}}
            <section class="task" id="task-{{action}}" data-url="/api/admin/{{action}}s" data-stay
             {{> task-words}}>
            <h2>{{title}}</h2>
            {{#organisation}}
            <label for="organisation-id">{{w.id}}<span class="hint">{{w.idHint}}</span></label>
            <input id="organisation-id" name="id" data-field>
            <label for="organisation-kind">{{w.kind}}</label>
            <select id="organisation-kind" name="kind" data-field>{{#kinds}}<option value="{{value}}">{{name}}</option>{{/kinds}}</select>
            <label for="organisation-ja">{{w.nameJa}}</label>
            <input id="organisation-ja" name="nameJa" data-field>
            <label for="organisation-en">{{w.nameEn}}</label>
            <input id="organisation-en" name="nameEn" data-field>
            {{/organisation}}
            {{#member}}
            <label for="member-id">{{w.id}}<span class="hint">{{w.idHint}}</span></label>
            <input id="member-id" name="id" data-field>
            <label for="member-organisation">{{w.organisation}}</label>
            <input id="member-organisation" name="organisation" data-field>
            <label for="member-ja">{{w.nameJa}}</label>
            <input id="member-ja" name="nameJa" data-field>
            <label for="member-en">{{w.nameEn}}</label>
            <input id="member-en" name="nameEn" data-field>
            {{/member}}
            {{#key}}
            <label for="key-member">{{w.member}}</label>
            <input id="key-member" name="member" data-field>
            <label for="key-public">{{w.publicKeyFile}}</label>
            <input type="file" id="key-public" name="publicKey" accept=".pub,.pem" data-field>
            {{/key}}
            {{#binding}}
            <label for="binding-file">{{w.contractFile}}<span class="hint">{{w.contractFileHint}}</span></label>
            <input type="file" id="binding-file" name="contractFile" accept=".xml" data-field>
            <label for="binding-contract">{{w.recordedContract}}</label>
            <select id="binding-contract" name="contract" data-field><option value=""></option>{{#contracts}}<option value="{{.}}">{{.}}</option>{{/contracts}}</select>
            <label for="binding-party">{{w.partyId}}</label>
            <input id="binding-party" name="party" data-field>
            <label for="binding-organisation">{{w.organisation}}</label>
            <input id="binding-organisation" name="organisation" data-field>
            {{/binding}}
            {{#revocation}}
            <p class="hint">{{w.revokeHint}}</p>
            <label for="revocation-subject">{{w.subject}}</label>
            <select id="revocation-subject" name="subject" data-field><option value="member">{{w.member}}</option><option value="organisation">{{w.organisation}}</option><option value="key">{{w.keyID}}</option><option value="binding">{{w.bindings}}</option></select>
            <label for="revocation-id">{{w.subjectId}}</label>
            <input id="revocation-id" name="id" data-field>
            <label for="revocation-reason">{{w.revokeReason}}</label>
            <input id="revocation-reason" name="reason" data-field>
            {{/revocation}}
            {{> sign-button}}
            </section>
            {{/tasks}}
            <script src="/assets/sign.js"></script>
            """,
        "year": """
            <p>{{w.state}}: <strong id="year-state">{{state}}</strong></p>
            {{#explains}}<p><a href="/contracts/{{contract}}/years/{{year}}/explain">{{w.explain}}</a></p>{{/explains}}
            <h2>{{w.statements}}</h2>
            <table>
            <thead><tr><th scope="col">{{w.document}}</th><th scope="col">{{w.party}}</th><th scope="col">{{w.format}}</th><th scope="col">{{w.sha256}}</th></tr></thead>
            <tbody>
            {{#statements}}<tr><td><a href="/statements/{{id}}">{{document}}</a>{{#downloads}} · <a href="{{href}}">{{label}}</a>{{/downloads}}</td><td>{{party}}</td><td>{{format}}</td><td><code>{{sha256}}</code></td></tr>{{/statements}}
            </tbody>
            </table>
            {{#tasks}}
            <section class="task" id="task-{{action}}" data-url="/api/contracts/{{contract}}/years/{{year}}/{{action}}"
             {{> task-words}}>
            <h2>{{title}}</h2>
            {{#reject}}
            <label for="reason-{{action}}">{{w.reason}}</label>
            <textarea id="reason-{{action}}" name="reason" rows="3" cols="60"></textarea>
            {{/reject}}
            {{#pay}}
            <label for="due-{{action}}">{{w.dues}}</label>
            <select id="due-{{action}}" name="due">{{#dues}}<option value="{{payer}}|{{payee}}|{{amount}}">{{payer}} → {{payee}} {{amount}}</option>{{/dues}}</select>
            <label for="date-{{action}}">{{w.paidOn}}<span class="hint">YYYY-MM-DD</span></label>
            <input id="date-{{action}}" name="date" value="{{today}}">
            <label for="reference-{{action}}">{{w.reference}}</label>
            <input id="reference-{{action}}" name="reference">
            {{/pay}}
            {{> member-key}}
            </section>
            {{/tasks}}
            <script src="/assets/sign.js"></script>
            """,
        "budget": """
            <h2>{{w.issuedPaid}}</h2>
            {{#hasByPayer}}
            <table>
            <thead><tr><th scope="col">{{w.payer}}</th><th scope="col">{{w.paymentYear}}</th><th scope="col">{{w.issued}}</th><th scope="col">{{w.paid}}</th><th scope="col">{{w.outstanding}}</th></tr></thead>
            <tbody>
            {{#byPayer}}<tr><td>{{payer}}</td><td>{{year}}</td><td class="amount">{{issued}}</td><td class="amount">{{paid}}</td><td class="amount">{{outstanding}}</td></tr>{{/byPayer}}
            </tbody>
            </table>
            {{/hasByPayer}}
            {{^hasByPayer}}<p>{{w.nothingIssued}}</p>{{/hasByPayer}}
            <h2>{{w.envelope}}</h2>
            <p>{{w.envelopeHint}}</p>
            {{#hasEnvelope}}
            <figure id="envelope-chart">
            <figcaption>{{chartDescription}}</figcaption>
            {{{chart}}}
            </figure>
            <table>
            <thead><tr><th scope="col">{{w.payer}}</th><th scope="col">{{w.paymentYear}}</th><th scope="col">{{w.least}}</th><th scope="col">{{w.most}}</th></tr></thead>
            <tbody>
            {{#envelope}}<tr><td>{{payer}}</td><td>{{year}}</td><td class="amount">{{least}}</td><td class="amount">{{most}}</td></tr>{{/envelope}}
            </tbody>
            </table>
            {{/hasEnvelope}}
            {{^hasEnvelope}}<p>{{w.noEnvelope}}</p>{{/hasEnvelope}}
            {{#contracts}}
            <h3>{{title}}</h3>
            <p>{{w.remaining}}: <strong>{{remaining}}</strong></p>
            <table>
            <thead><tr><th scope="col">{{w.year}}</th><th scope="col">{{w.paymentYear}}</th><th scope="col">{{w.payer}}</th><th scope="col">{{w.least}}</th><th scope="col">{{w.most}}</th></tr></thead>
            <tbody>
            {{#bounds}}<tr><td>{{year}}</td><td>{{paymentYear}}</td><td>{{payer}}</td><td class="amount">{{least}}</td><td class="amount">{{most}}</td></tr>{{/bounds}}
            </tbody>
            </table>
            {{/contracts}}
            """,
        "signatures": """
            <p>{{w.document}}: <strong>{{document}}</strong></p>
            <p>{{w.sha256}}: <code>{{sha256}}</code></p>
            {{#hasSignatures}}
            <table>
            <thead><tr><th scope="col">{{w.party}}</th><th scope="col">{{w.member}}</th><th scope="col">{{w.organisation}}</th><th scope="col">{{w.keyID}}</th></tr></thead>
            <tbody>
            {{#signatures}}<tr><td>{{party}} <span class="hint">{{role}}</span></td><td>{{member}}</td><td>{{organisation}}</td><td><code>{{key}}</code></td></tr>{{/signatures}}
            </tbody>
            </table>
            <p>{{w.fingerprint}}: <code>{{fingerprint}}</code></p>
            {{/hasSignatures}}
            {{^hasSignatures}}<p>{{w.notSigned}}</p>{{/hasSignatures}}
            {{#hasDownloads}}<h2>{{w.copies}}</h2>
            <p>{{w.copiesHint}}</p>
            <ul>{{#downloads}}<li><a href="{{href}}">{{label}}</a></li>{{/downloads}}</ul>{{/hasDownloads}}
            <h2>{{w.files}}</h2>
            <ul>{{#files}}<li><a href="{{href}}">{{name}}</a></li>{{/files}}</ul>
            <h2>{{w.checkWithOpenSSL}}</h2>
            <p>{{w.opensslHint}}</p>
            <pre><code>{{commands}}</code></pre>
            """,
        "explain": """
            <p>{{w.explainHint}}</p>
            <pre id="explanation">{{text}}</pre>
            """,
        "message": """
            <p>{{message}}</p>
            <p><a href="/">{{w.back}}</a></p>
            """,
    ]
}
