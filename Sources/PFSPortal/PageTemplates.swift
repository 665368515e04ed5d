/// The portal's Mustache templates: the layout, its partials (`{{> name}}`) and one per page.
extension Pages {
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
            {{#hasQueue}}
            <h2>{{w.queue}}</h2>
            <table id="queue">
            <thead><tr><th scope="col">{{w.contract}}</th><th scope="col">{{w.year}}</th><th scope="col">{{w.task}}</th></tr></thead>
            <tbody>{{#queue}}<tr><td>{{title}}</td><td><a href="/contracts/{{contract}}/years/{{number}}">{{year}}</a></td><td>{{task}}</td></tr>{{/queue}}</tbody>
            </table>
            {{/hasQueue}}
            {{#hasContracts}}
            <h2>{{w.contracts}}</h2>
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
            <p>{{w.fingerprint}}: <code>{{fingerprint}}</code></p>
            <h2>{{w.changes}}</h2>
            <ul id="changes">{{#tasks}}<li><a href="/admin/organisations/{{action}}">{{title}}</a></li>{{/tasks}}</ul>
            <div id="trust">
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
            """,
        "authority-change": """
            <label for="authority-key">{{w.authorityKey}}<span class="hint">{{w.authorityKeyHint}}</span></label>
            <input type="file" id="authority-key" accept=".pem">
            <div><input type="checkbox" id="keep-authority"> <label class="inline" for="keep-authority">{{w.keepKey}}</label></div>
            <p id="kept-authority" hidden>{{w.keptKey}} <code></code> <button type="button" class="forget">{{w.forgetKey}}</button></p>
            <p>{{w.fingerprint}}: <code>{{fingerprint}}</code></p>
            {{#task}}
            <section class="task" id="task-{{action}}" data-url="/api/admin/{{action}}s" data-next="/admin/organisations"
             {{> task-words}}>
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
            {{/task}}
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
            {{#hasHoldings}}
            <h2>{{w.yourHolding}}</h2>
            <table id="holdings">
            <thead><tr><th scope="col">{{w.investor}}</th><th scope="col">{{w.principal}}</th><th scope="col">{{w.principalRepaid}}<span class="hint">{{w.thisYearToDate}}</span></th><th scope="col">{{w.returnPaid}}<span class="hint">{{w.thisYearToDate}}</span></th><th scope="col">{{w.lost}}</th></tr></thead>
            <tbody>{{#holdings}}<tr><td>{{party}}</td><td class="amount">{{principal}}</td><td class="amount">{{principalThisYear}} / {{principalToDate}}</td><td class="amount">{{returnThisYear}} / {{returnToDate}}</td><td class="amount">{{lost}}</td></tr>{{/holdings}}</tbody>
            </table>
            {{/hasHoldings}}
            {{#hasClasses}}
            <h2>{{w.yourClasses}}</h2>
            <table id="classes">
            <thead><tr><th scope="col">{{w.investorClass}}</th><th scope="col">{{w.rank}}</th><th scope="col">{{w.principal}}</th><th scope="col">{{w.rate}}</th><th scope="col">{{w.returnPaid}}<span class="hint">{{w.thisYearToDate}}</span></th><th scope="col">{{w.principalRepaid}}</th><th scope="col">{{w.lost}}</th><th scope="col">{{w.owed}}</th></tr></thead>
            <tbody>{{#classes}}<tr><td>{{name}}</td><td>{{rank}}</td><td class="amount">{{principal}}</td><td>{{rate}}</td><td class="amount">{{returnThisYear}} / {{returnToDate}}</td><td class="amount">{{principalToDate}}</td><td class="amount">{{loss}}</td><td class="amount">{{outstanding}}</td></tr>{{/classes}}</tbody>
            </table>
            {{/hasClasses}}
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
