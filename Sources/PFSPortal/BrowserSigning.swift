/// The portal's one script: it signs in the browser, so that a member's private key never
/// reaches the server. It reads the member's PEM key file (PKCS #8, as `pfs key generate`
/// writes it), imports it into WebCrypto as Ed25519 (or uses the one kept in this browser:
/// imported non-extractable and stored in IndexedDB, it can sign but never be read out
/// again), and sends the public key; the server
/// answers 428 with the exact bytes to sign (the statements, then the event that records
/// them), the script signs them and sends the signatures, until the change is recorded.
enum BrowserSigning {
    static let script = #"""
        "use strict";
        (function () {
          function bytesOf(base64) {
            const text = atob(base64);
            const bytes = new Uint8Array(text.length);
            for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
            return bytes;
          }
          function base64Of(buffer) {
            const bytes = new Uint8Array(buffer);
            let text = "";
            for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
            return btoa(text);
          }
          async function importKey(file, keep) {
            const pem = await file.text();
            const match = pem.match(/-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/);
            if (!match) throw new Error("not a PEM private key file (BEGIN PRIVATE KEY)");
            const der = bytesOf(match[1].replace(/\s+/g, ""));
            // Extractable once, to read its public half; the private key stays in this page.
            const readable = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
            const jwk = await crypto.subtle.exportKey("jwk", readable);
            const publicKey = btoa(atob(jwk.x.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - jwk.x.length % 4) % 4)));
            if (!keep) return { key: readable, publicKey };
            // Kept in this browser as a key that cannot be read out of it again, only used to sign.
            const key = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
            return { key, publicKey };
          }
          // Keys kept in this browser (IndexedDB), one per account and kind (a member's, the authority's).
          function keyStore(mode, act) {
            return new Promise(function (resolve, reject) {
              const opening = indexedDB.open("pfs-keys", 1);
              opening.onupgradeneeded = function () { opening.result.createObjectStore("keys"); };
              opening.onerror = function () { reject(opening.error); };
              opening.onsuccess = function () {
                const request = act(opening.result.transaction("keys", mode).objectStore("keys"));
                request.onsuccess = function () { resolve(request.result); };
                request.onerror = function () { reject(request.error); };
              };
            });
          }
          function keyName(section) {
            return (section.querySelector("input.key") ? "member:" : "authority:") + document.body.dataset.account;
          }
          function keepBox(section) { return section.querySelector("input.keep") || document.getElementById("keep-authority"); }
          function keptNote(section) { return section.querySelector(".kept") || document.getElementById("kept-authority"); }
          async function keyID(publicKey) {
            const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytesOf(publicKey)));
            return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
          }
          async function showKept(section) {
            const note = keptNote(section);
            if (!note) return;
            const kept = await keyStore("readonly", (store) => store.get(keyName(section)));
            note.hidden = !kept;
            if (kept) note.querySelector("code").textContent = await keyID(kept.publicKey);
          }
          async function sign(key, base64) {
            return base64Of(await crypto.subtle.sign({ name: "Ed25519" }, key, bytesOf(base64)));
          }
          function url(section) {
            const year = section.querySelector("[name=year]");
            return section.dataset.url.replace("{year}", year ? year.value : "");
          }
          async function addUpload(section, body) {
            const upload = section.querySelector("input[name=actuals]");
            if (upload && upload.files[0]) {
              body.actuals = { name: upload.files[0].name, bytes: base64Of(await upload.files[0].arrayBuffer()) };
            }
          }
          // The authority's forms: every field by name; a chosen file as its text, and its name.
          async function addFields(section, body) {
            const fields = section.querySelectorAll("[data-field]");
            if (!fields.length) return;
            body.fields = {};
            for (const input of fields) {
              if (input.type === "file") {
                if (input.files[0]) {
                  body.fields[input.name] = await input.files[0].text();
                  body.fields[input.name + "Name"] = input.files[0].name;
                }
              } else body.fields[input.name] = input.value;
            }
          }
          async function preview(section) {
            const body = { preview: true };
            await addUpload(section, body);
            const response = await fetch(url(section), {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": section.dataset.csrf },
              body: JSON.stringify(body),
            });
            const answer = await response.json();
            const out = section.querySelector(".preview-lines");
            if (!response.ok) { out.textContent = answer.error + (answer.hint ? " — " + answer.hint : ""); return; }
            const summary = [section.dataset.summary.replace("{added}", answer.preview.added)
              .replace("{changed}", answer.preview.changed).replace("{unchanged}", answer.preview.unchanged)];
            if (answer.preview.corrects.length) {
              summary.push(section.dataset.corrects.replace("{years}", answer.preview.corrects.map((y) => "FY" + y).join(", ")));
            }
            out.textContent = summary.concat(answer.preview.lines).join("\n");
          }
          async function run(section) {
            const status = section.querySelector(".status");
            const say = (text) => { status.textContent = text; };
            // A member's key file beside the task, or the authority's, one for the whole page.
            const keyInput = section.querySelector("input.key") || document.getElementById("authority-key");
            const file = keyInput && keyInput.files[0];
            const keep = keepBox(section);
            let key;
            if (file) {
              try { key = await importKey(file, keep && keep.checked); } catch (error) { say(section.dataset.badkey + " " + error.message); return; }
              if (keep && keep.checked) {
                await keyStore("readwrite", (store) => store.put(key, keyName(section)));
                for (const other of document.querySelectorAll("section.task")) await showKept(other);
              }
            } else {
              key = await keyStore("readonly", (store) => store.get(keyName(section)));
              if (!key) { say(section.dataset.nokey); return; }
            }
            const body = { publicKey: key.publicKey, statements: {} };
            await addUpload(section, body);
            await addFields(section, body);
            const reason = section.querySelector("[name=reason]:not([data-field])");
            if (reason) body.reason = reason.value;
            const due = section.querySelector("[name=due]");
            if (due) {
              const [payer, payee, amount] = due.value.split("|");
              body.payment = {
                payer, payee, amount,
                date: section.querySelector("[name=date]").value,
                reference: section.querySelector("[name=reference]").value,
              };
            }
            say(section.dataset.working);
            for (let round = 0; round < 6; round++) {
              const response = await fetch(url(section), {
                method: "POST", credentials: "same-origin",
                headers: { "Content-Type": "application/json", "X-CSRF-Token": section.dataset.csrf },
                body: JSON.stringify(body),
              });
              const answer = await response.json();
              if (response.status === 428) {
                for (const statement of answer.sign.statements) body.statements[statement.sha256] = await sign(key.key, statement.bytes);
                if (answer.sign.event) { body.event = await sign(key.key, answer.sign.event); body.at = answer.sign.at; }
                continue;
              }
              if (response.ok) {
                say(section.dataset.done);
                // A change with a page of its own goes back to the list it changed.
                if (section.dataset.next) window.location.assign(section.dataset.next); else window.location.reload();
                return;
              }
              say(answer.error + (answer.hint ? " — " + answer.hint : ""));
              return;
            }
            say(section.dataset.failed);
          }
          document.addEventListener("DOMContentLoaded", function () {
            for (const section of document.querySelectorAll("section.task")) {
              showKept(section).catch(function () {});
              const note = keptNote(section);
              const forget = note && note.querySelector("button.forget");
              if (forget && !forget.dataset.bound) {
                forget.dataset.bound = "1";
                forget.addEventListener("click", async function () {
                  await keyStore("readwrite", (store) => store.delete(keyName(section)));
                  for (const other of document.querySelectorAll("section.task")) await showKept(other);
                });
              }
              section.querySelector("button.sign").addEventListener("click", function () {
                run(section).catch(function (error) { section.querySelector(".status").textContent = String(error); });
              });
              const previewButton = section.querySelector("button.preview");
              if (previewButton) previewButton.addEventListener("click", function () {
                preview(section).catch(function (error) { section.querySelector(".preview-lines").textContent = String(error); });
              });
            }
          });
        })();
        """#
}
