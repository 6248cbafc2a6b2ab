// WebAuthn in the browser, for every face's passkeys: the internet branch's (passkeys.js, confirm_passkey.js) and
// the back office's staff passkeys (backoffice_passkey.js), each loaded after this file. No inline scripts anywhere:
// the Content-Security-Policy forbids them. The server speaks JSON with base64url for binary fields (WebAuthn's JSON
// forms); the browser's navigator.credentials API wants ArrayBuffers, so this file converts both ways.
(function () {
  "use strict";

  var supported = !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create &&
    navigator.credentials.get && window.fetch);

  function fromB64url(s) {
    s = String(s).replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }

  function toB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(o) {
    o.challenge = fromB64url(o.challenge);
    o.user.id = fromB64url(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
    return o;
  }

  function requestOptions(o) {
    o.challenge = fromB64url(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
    return o;
  }

  // credentialJSON is the RegistrationResponseJSON or AuthenticationResponseJSON of a credential.
  function credentialJSON(cred) {
    var r = cred.response;
    var out = {
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64url(r.clientDataJSON) }
    };
    if (cred.authenticatorAttachment) { out.authenticatorAttachment = cred.authenticatorAttachment; }
    if (r.attestationObject) {
      out.response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    } else {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      if (r.userHandle) { out.response.userHandle = toB64url(r.userHandle); }
    }
    return out;
  }

  window.kumbaraWebAuthn = {
    supported: supported, creationOptions: creationOptions, requestOptions: requestOptions,
    credentialJSON: credentialJSON
  };
})();
