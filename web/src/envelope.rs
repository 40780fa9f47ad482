//! The envelope, drawn: for GenerateDataKey, Encrypt, Decrypt and ReEncrypt,
//! the KMS key (and its backing-key version) → the data key (plaintext
//! shown, then discarded) → the encrypted data key → the encrypted data, the
//! encryption context as the lock's AAD, and the blob's bytes with each
//! field of its format labelled.

use crate::html::{Html, hex, short_id};
use kms_core::base64_blob;
use kms_core::crypto::blob;
use serde_json::Value;

fn text<'a>(v: Option<&'a Value>, name: &str) -> Option<&'a str> {
    v?.get(name)?.as_str()
}

fn context(v: Option<&Value>, name: &str) -> String {
    match v.and_then(|v| v.get(name)).and_then(Value::as_object) {
        Some(map) if !map.is_empty() => map
            .iter()
            .map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", "),
        _ => "(none)".into(),
    }
}

fn arrow(h: &mut Html, arrow: &str) {
    h.raw(&format!(
        "<span class=\"arrow\" aria-hidden=\"true\">{arrow}</span>"
    ));
}

/// The diagram for one step, if its operation is one the envelope explains.
pub fn envelope_html(h: &mut Html, request: Option<&Value>, response: Option<&Value>) {
    let _ = draw(h, request, response);
}

fn draw(h: &mut Html, request: Option<&Value>, response: Option<&Value>) -> Option<()> {
    let action = text(request, "Action")?;
    let parameters = request?.get("Parameters");
    let response = response?;
    let (blob_text, context_name) = match action {
        "kms:GenerateDataKey" | "kms:GenerateDataKeyWithoutPlaintext" | "kms:Encrypt" => {
            (text(Some(response), "CiphertextBlob")?, "EncryptionContext")
        }
        "kms:Decrypt" => (text(parameters, "CiphertextBlob")?, "EncryptionContext"),
        "kms:ReEncrypt" => (
            text(Some(response), "CiphertextBlob")?,
            "DestinationEncryptionContext",
        ),
        _ => return None,
    };
    let bytes = base64_blob::decode(blob_text)?;
    let fields = blob::fields(&bytes).ok()?;
    let version = blob::CiphertextBlob::parse(&bytes).ok()?.backing_version;
    let key = short_id(text(Some(response), "KeyId").unwrap_or_default()).to_string();
    let plaintext = text(Some(response), "Plaintext").and_then(base64_blob::decode);
    let data_key = matches!(
        action,
        "kms:GenerateDataKey" | "kms:GenerateDataKeyWithoutPlaintext"
    );
    h.raw("<div class=\"envelope\" data-testid=\"envelope\"><div class=\"flow\"><div class=\"box key\"><strong>KMS key</strong> ")
        .el("code", "", &key)
        .raw(&format!(
            "<span class=\"note\" data-testid=\"envelope-version\">backing-key version {version}</span></div>"
        ));
    arrow(h, "→");
    if data_key {
        h.raw("<div class=\"box\" data-testid=\"envelope-data-key\"><strong>Data key</strong> ");
        match &plaintext {
            Some(p) => h
                .raw("<code class=\"secret discarded\" title=\"Use it, then drop it: only the encrypted copy is stored\">")
                .text(&hex(p))
                .raw("</code>")
                .el("span", "note", "plaintext: kept in memory only, then discarded"),
            None => h.el("span", "note", "no plaintext: WithoutPlaintext"),
        };
        h.raw("</div>");
        arrow(h, "→");
    } else if action == "kms:Decrypt" {
        h.raw("<div class=\"box\"><strong>Plaintext</strong> ")
            .el(
                "code",
                "secret",
                &plaintext.as_deref().map(hex).unwrap_or_default(),
            )
            .raw("</div>");
        arrow(h, "←");
    }
    h.raw("<div class=\"box blob\"><strong>")
        .text(if data_key {
            "Encrypted data key (CiphertextBlob)"
        } else {
            "CiphertextBlob"
        })
        .raw("</strong><span class=\"lock\" data-testid=\"envelope-aad\">🔒 AAD: encryption context ")
        .el("code", "", &context(parameters, context_name))
        .raw("</span></div>");
    if data_key {
        arrow(h, "→");
        h.raw("<div class=\"box\"><strong>Encrypted data</strong>")
            .el("span", "note", "your application encrypts with the plaintext data key (AES-256-GCM, a fresh IV each time) and stores the result beside the encrypted data key")
            .raw("</div>");
    }
    h.raw("</div><details class=\"blob-fields\"><summary>")
        .text(&format!("The blob, {} bytes, field by field", bytes.len()))
        .raw("</summary><p class=\"note\">Base64 (what the API returns): ")
        .el("code", "wrap", blob_text)
        .raw("</p><table><thead><tr><th>Bytes</th><th>Field</th><th>Hex</th><th>Meaning</th></tr></thead><tbody>");
    for (i, f) in fields.into_iter().enumerate() {
        let part = &bytes[f.range.clone()];
        let shown = if part.len() > 24 {
            format!("{}…", hex(&part[..24]))
        } else {
            hex(part)
        };
        h.raw(&format!(
            "<tr class=\"f{}\"><td>{}–{}</td>",
            i % 5,
            f.range.start,
            f.range.end - 1
        ))
        .el("td", "", f.name)
        .raw("<td>")
        .el("code", "", &shown)
        .raw("</td>")
        .el("td", "", &f.meaning)
        .raw("</tr>");
    }
    h.raw("</tbody></table></details></div>");
    Some(())
}
