#!/usr/bin/env python3
"""A loopback OAuth 2.0 authorization server and token endpoint for tests (python stdlib only),
shaped like Google's for installed apps, strict where Google is (and stricter on PKCE):

  GET  /authorize?response_type=code&client_id=&redirect_uri=&scope=&state=&code_challenge=
       &code_challenge_method=S256[&access_type=offline]
       -> 302 to redirect_uri?code=C&state=S (the user "consented"), or ?error=access_denied&state=S
          with --deny. redirect_uri must be http://127.0.0.1:PORT/... (a loopback redirect).
       400 for another client, a scope other than --scope exactly, or no S256 challenge.
  POST /token  grant_type=authorization_code: code, redirect_uri (same as above), client_id,
       client_secret, code_verifier (its S256 must be the challenge); a code is good once.
       -> {"access_token": --access-token, "refresh_token": R, "expires_in": --expires-in, ...}
  POST /token  grant_type=refresh_token: refresh_token=R, client_id, client_secret
       -> {"access_token": --refreshed-token, "expires_in": ...}; 400 invalid_grant for another R
  GET  /tokeninfo?access_token=T -> {"email": --email, "scope": ..., "expires_in": ...} for a token
       this server issued, 400 otherwise (Google's tokeninfo endpoint, which Ferry asks for "who")
  GET  /_log -> one JSON line per request: {"path", "grant_type"} (never a secret)

    python3 tests/servers/oauth_server.py --client-id ID --client-secret S --access-token T1
        --refreshed-token T2 [--email me@example.org] [--expires-in 3600] [--deny] [--port 0]
        [--exit-on-stdin-eof]

The first line on stdout is the port.
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

SCOPE = "https://www.googleapis.com/auth/devstorage.read_write"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):  # quiet
        pass

    def _json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _bad(self, error, description):
        self._json(400, {"error": error, "error_description": description})

    def do_GET(self):
        srv = self.server
        u = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
        srv.record({"path": u.path})
        if u.path == "/_log":
            body = "".join(json.dumps(e) + "\n" for e in srv.log).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return self.wfile.write(body)
        if u.path == "/tokeninfo":
            tok = q.get("access_token", "")
            if tok not in (srv.args.access_token, srv.args.refreshed_token):
                return self._bad("invalid_token", "Invalid Value")
            return self._json(200, {"email": srv.args.email, "scope": SCOPE, "expires_in": srv.args.expires_in, "email_verified": "true"})
        if u.path != "/authorize":
            return self._json(404, {"error": "not_found"})
        if q.get("client_id") != srv.args.client_id:
            return self._bad("invalid_client", "The OAuth client was not found.")
        redirect = q.get("redirect_uri", "")
        r = urlsplit(redirect)
        if r.scheme != "http" or r.hostname != "127.0.0.1" or not r.port:
            return self._bad("invalid_request", "redirect_uri must be a loopback address")
        if q.get("response_type") != "code":
            return self._bad("unsupported_response_type", "response_type must be code")
        if q.get("scope") != SCOPE:
            return self._bad("invalid_scope", f"only {SCOPE} is allowed here, got {q.get('scope')!r}")
        if q.get("code_challenge_method") != "S256" or len(q.get("code_challenge", "")) < 43:
            return self._bad("invalid_request", "PKCE with S256 is required")
        state = q.get("state", "")
        if srv.args.deny:
            params = {"error": "access_denied", "state": state}
        else:
            code = "code-" + secrets.token_urlsafe(12)
            with srv.lock:
                srv.codes[code] = (q["code_challenge"], redirect)
            params = {"code": code, "state": state, "scope": SCOPE}
        self.send_response(302)
        self.send_header("Location", redirect + ("&" if "?" in redirect else "?") + urlencode(params))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        srv = self.server
        n = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(n).decode(), keep_blank_values=True).items()}
        u = urlsplit(self.path)
        grant = form.get("grant_type", "")
        srv.record({"path": u.path, "grant_type": grant})
        if u.path != "/token":
            return self._json(404, {"error": "not_found"})
        cid, csec = form.get("client_id"), form.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, csec = base64.b64decode(auth[6:]).decode().partition(":")
        if cid != srv.args.client_id or csec != srv.args.client_secret:
            return self._json(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        if grant == "authorization_code":
            with srv.lock:
                entry = srv.codes.pop(form.get("code", ""), None)
            if entry is None:
                return self._bad("invalid_grant", "Malformed auth code.")
            challenge, redirect = entry
            if form.get("redirect_uri") != redirect:
                return self._bad("redirect_uri_mismatch", "Bad Request")
            verifier = form.get("code_verifier", "")
            got = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if got != challenge:
                return self._bad("invalid_grant", "Invalid code verifier.")
            return self._json(200, {"access_token": srv.args.access_token, "expires_in": srv.args.expires_in, "refresh_token": srv.refresh, "scope": SCOPE, "token_type": "Bearer"})
        if grant == "refresh_token":
            if form.get("refresh_token") != srv.refresh:
                return self._bad("invalid_grant", "Token has been expired or revoked.")
            return self._json(200, {"access_token": srv.args.refreshed_token, "expires_in": srv.args.expires_in, "scope": SCOPE, "token_type": "Bearer"})
        return self._bad("unsupported_grant_type", "Invalid grant_type")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr, args):
        super().__init__(addr, Handler)
        self.args = args
        self.codes = {}
        self.lock = threading.Lock()
        self.log = []
        self.refresh = args.refresh_token or ("1//refresh-" + secrets.token_urlsafe(16))

    def record(self, entry):
        with self.lock:
            self.log.append(entry)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--client-secret", required=True)
    ap.add_argument("--access-token", required=True)
    ap.add_argument("--refreshed-token", required=True)
    ap.add_argument("--refresh-token", default=None, help="the refresh token it issues (default: random)")
    ap.add_argument("--email", default="researcher@example.org")
    ap.add_argument("--expires-in", type=int, default=3600)
    ap.add_argument("--deny", action="store_true", help="the user says no in the browser")
    ap.add_argument("--exit-on-stdin-eof", action="store_true")
    args = ap.parse_args(argv)
    srv = Server(("127.0.0.1", args.port), args)
    print(srv.server_address[1], flush=True)
    if args.exit_on_stdin_eof:
        def watch():
            try:
                sys.stdin.buffer.read()
            finally:
                os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
