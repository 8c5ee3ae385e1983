#!/usr/bin/env python3
"""A small Google Cloud Storage XML-API server for tests, on loopback (python stdlib only).

It speaks what object_store 0.14's GCS client sends (src/gcp/client.rs):
  PUT    /BUCKET/KEY                              put an object (answers ETag, x-goog-generation)
  GET    /BUCKET/KEY  [Range: bytes=a-b|a-|-n]    read (206 + Content-Range for a range)
  HEAD   /BUCKET/KEY                              metadata
  DELETE /BUCKET/KEY                              delete (404 NoSuchKey if absent, like GCS)
  GET    /BUCKET?list-type=2&prefix=&delimiter=&continuation-token=&start-after=&max-keys=
                                                  ListBucketResult, paginated by --page-size
  POST   /BUCKET/KEY?uploads                      InitiateMultipartUploadResult
  PUT    /BUCKET/KEY?partNumber=N&uploadId=U      one part (answers its ETag)
  POST   /BUCKET/KEY?uploadId=U                   CompleteMultipartUpload -> CompleteMultipartUploadResult
  DELETE /BUCKET/KEY?uploadId=U                   abort
  PUT    /BUCKET/KEY with x-goog-copy-source      copy
Every request needs `Authorization: Bearer TOKEN` (TOKEN = --token), else 401 with a GCS-like
XML error body. An unknown bucket answers 404 NoSuchBucket. Objects live in memory (or under
--dir, one file per object, if given).

    python3 tests/servers/gcs_stub.py --token T --bucket b [--bucket c] [--port 0] [--page-size 1000]
                                       [--fail-after N] [--dir DIR] [--log FILE]

The first line on stdout is the chosen port; the server then runs until killed (or stdin closes,
with --exit-on-stdin-eof, so a test that dies takes its server with it).
--fail-after N answers 401 (token expired) to every request after the first N, to test re-auth.
--tls-cert CERT --tls-key KEY serves https instead of http.
--service-account EMAIL --sa-public-key PEM also accepts what a service account sends without a
token endpoint (object_store's way): a self-signed RS256 JWT whose iss is EMAIL, unexpired, with a
signature that verifies against PEM (checked with the openssl command, once per token).
POST /_stub/expire (no auth) expires --token now; from then on only --next-token is accepted
(a token renewed mid-upload).
GET /_stub/requests (no auth) returns the request log as JSON lines (method, path, query, status).
"""

import argparse
import email.utils
import hashlib
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape


def xml_error(code, message, extra=""):
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>{extra}</Error>"
    ).encode()


class Obj:
    __slots__ = ("data", "etag", "generation", "mtime", "content_type")

    def __init__(self, data, content_type, generation):
        self.data = data
        self.etag = '"' + hashlib.md5(data).hexdigest() + '"'
        self.generation = generation
        self.mtime = time.time()
        self.content_type = content_type or "application/octet-stream"


class Storage:
    """bucket -> {key: Obj}; optional mirror of every object as a file under DIR/bucket/."""

    def __init__(self, buckets, directory=None):
        self.lock = threading.Lock()
        self.buckets = {b: {} for b in buckets}
        self.uploads = {}  # upload id -> (bucket, key, {part number: bytes}, content type)
        self.generation = int(time.time() * 1e6)
        self.dir = directory
        if directory:
            for b in buckets:
                os.makedirs(os.path.join(directory, b), exist_ok=True)

    def next_generation(self):
        self.generation += 1
        return self.generation

    def _file(self, bucket, key):
        # One flat file per object: the key percent-encoded, so no key can leave DIR/bucket.
        return os.path.join(self.dir, bucket, quote(key, safe="") or "%00")

    def put(self, bucket, key, data, content_type):
        with self.lock:
            obj = Obj(data, content_type, self.next_generation())
            self.buckets[bucket][key] = obj
            if self.dir:
                with open(self._file(bucket, key), "wb") as f:
                    f.write(data)
            return obj

    def delete(self, bucket, key):
        with self.lock:
            obj = self.buckets[bucket].pop(key, None)
            if obj is not None and self.dir:
                try:
                    os.remove(self._file(bucket, key))
                except FileNotFoundError:
                    pass
            return obj


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gcs-stub/1"
    # Headers and body go out in separate writes: without TCP_NODELAY each answer waits ~40 ms
    # for the client's delayed ACK.
    disable_nagle_algorithm = True

    # -- plumbing ---------------------------------------------------------------------------

    def log_message(self, fmt, *args):  # quiet by default; --log writes the request log
        pass

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, body=b"", headers=None, content_type="application/xml; charset=UTF-8"):
        self.send_response(status)
        hdrs = dict(headers or {})
        if body or content_type:
            hdrs.setdefault("Content-Type", content_type)
        hdrs.setdefault("Content-Length", str(len(body)))
        for k, v in hdrs.items():
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.server.record(self.command, self.path, status)

    def _error(self, status, code, message, extra=""):
        self._send(status, xml_error(code, message, extra))

    def _route(self):
        """(bucket, key or None, query dict) from the request line; None after an error answer."""
        parts = urlsplit(self.path)
        q = parse_qs(parts.query, keep_blank_values=True)
        query = {k: v[-1] for k, v in q.items()}
        raw = parts.path.lstrip("/")
        bucket_enc, slash, key_enc = raw.partition("/")
        bucket = unquote(bucket_enc)
        key = unquote(key_enc) if slash else None
        return bucket, key, query

    def _authorised(self):
        srv = self.server
        n = srv.count()
        auth = self.headers.get("Authorization", "")
        if srv.next_token and auth == f"Bearer {srv.next_token}":
            return True
        if srv.service_account and auth.startswith("Bearer ") and auth.count(".") == 2:
            if srv.jwt_ok(auth[7:]):
                return True
            self._error(401, "AuthenticationRequired", "Invalid Credentials: the service account's JWT does not verify")
            return False
        expired = srv.expired or (srv.fail_after is not None and n > srv.fail_after)
        if expired:
            self._error(401, "AuthenticationRequired", "Invalid Credentials: the access token has expired")
            return False
        if auth != f"Bearer {srv.token}":
            self._error(401, "AuthenticationRequired", "Authentication required." if not auth else "Invalid Credentials")
            return False
        return True

    def _dispatch(self):
        # Drain the body first so the connection stays usable whatever we answer.
        body = self._body() if self.command in ("PUT", "POST") else b""
        if self.path.startswith("/_stub/expire") and self.command == "POST":
            self.server.expired = True
            return self._send(200, b"expired\n", content_type="text/plain")
        if self.path.startswith("/_stub/requests"):
            data = "".join(json.dumps(r) + "\n" for r in self.server.log).encode()
            return self._send(200, data, content_type="application/x-ndjson")
        if not self._authorised():
            return
        bucket, key, query = self._route()
        store = self.server.storage
        if not bucket:
            return self._error(400, "InvalidArgument", "no bucket in the path (service-level requests are not supported)")
        if bucket not in store.buckets:
            return self._error(404, "NoSuchBucket", "The specified bucket does not exist.", f"<BucketName>{escape(bucket)}</BucketName>")
        if key is None or key == "":
            if self.command == "GET":
                return self._list(bucket, query)
            return self._error(405, "MethodNotAllowed", f"{self.command} on a bucket is not supported by this stub")
        handler = {
            "GET": self._get,
            "HEAD": self._get,
            "PUT": self._put,
            "POST": self._post,
            "DELETE": self._delete,
        }.get(self.command)
        if handler is None:
            return self._error(405, "MethodNotAllowed", self.command)
        return handler(bucket, key, query, body)

    def do_GET(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    # -- objects ----------------------------------------------------------------------------

    def _obj_headers(self, obj):
        return {
            "ETag": obj.etag,
            "Last-Modified": email.utils.formatdate(obj.mtime, usegmt=True),
            "x-goog-generation": str(obj.generation),
            "x-goog-metageneration": "1",
            "x-goog-stored-content-length": str(len(obj.data)),
            "Accept-Ranges": "bytes",
        }

    def _get(self, bucket, key, query, _body):
        obj = self.server.storage.buckets[bucket].get(key)
        if obj is None or ("generation" in query and query["generation"] != str(obj.generation)):
            return self._error(404, "NoSuchKey", "The specified key does not exist.")
        hdrs = self._obj_headers(obj)
        inm = self.headers.get("If-None-Match")
        if inm and inm == obj.etag:
            return self._send(304, b"", hdrs, content_type=None)
        im = self.headers.get("If-Match")
        if im and im != obj.etag:
            return self._error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.")
        data = obj.data
        rng = self.headers.get("Range")
        if rng:
            size = len(data)
            spec = rng.strip()
            if not spec.startswith("bytes=") or "," in spec:
                return self._error(400, "InvalidArgument", f"unsupported Range {rng!r}")
            a, _, b = spec[len("bytes="):].partition("-")
            if a == "":
                n = int(b)
                start, end = max(size - n, 0), size - 1
            else:
                start = int(a)
                end = min(int(b), size - 1) if b else size - 1
            if start >= size or start > end:
                return self._send(416, xml_error("InvalidRange", "The requested range cannot be satisfied."), {"Content-Range": f"bytes */{size}"})
            hdrs["Content-Range"] = f"bytes {start}-{end}/{size}"
            body = data[start:end + 1]
            hdrs["Content-Length"] = str(len(body))
            return self._send(206, body, hdrs, content_type=obj.content_type)
        hdrs["Content-Length"] = str(len(data))
        return self._send(200, data, hdrs, content_type=obj.content_type)

    def _put(self, bucket, key, query, body):
        store = self.server.storage
        if "uploadId" in query:
            with store.lock:
                up = store.uploads.get(query["uploadId"])
                if up is None or up[0] != bucket or up[1] != key:
                    return self._error(404, "NoSuchUpload", "The requested upload was not found.")
                try:
                    n = int(query.get("partNumber", ""))
                except ValueError:
                    return self._error(400, "InvalidArgument", "partNumber must be an integer")
                up[2][n] = body
            return self._send(200, b"", {"ETag": '"' + hashlib.md5(body).hexdigest() + '"'}, content_type=None)
        src = self.headers.get("x-goog-copy-source")
        if src:
            sb, _, sk = unquote(src.lstrip("/")).partition("/")
            so = store.buckets.get(sb, {}).get(sk)
            if so is None:
                return self._error(404, "NoSuchKey", "The copy source does not exist.")
            body = so.data
        if self.headers.get("x-goog-if-generation-match") == "0" and key in store.buckets[bucket]:
            return self._error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.")
        obj = store.put(bucket, key, body, self.headers.get("Content-Type"))
        return self._send(200, b"", {"ETag": obj.etag, "x-goog-generation": str(obj.generation)}, content_type=None)

    def _post(self, bucket, key, query, body):
        store = self.server.storage
        if "uploads" in query:
            uid = uuid.uuid4().hex
            with store.lock:
                store.uploads[uid] = (bucket, key, {}, self.headers.get("Content-Type"))
            xml = (
                "<?xml version='1.0' encoding='UTF-8'?>"
                "<InitiateMultipartUploadResult xmlns='http://s3.amazonaws.com/doc/2006-03-01/'>"
                f"<Bucket>{escape(bucket)}</Bucket><Key>{escape(key)}</Key><UploadId>{uid}</UploadId>"
                "</InitiateMultipartUploadResult>"
            ).encode()
            return self._send(200, xml)
        if "uploadId" in query:
            uid = query["uploadId"]
            with store.lock:
                up = store.uploads.get(uid)
            if up is None or up[0] != bucket or up[1] != key:
                return self._error(404, "NoSuchUpload", "The requested upload was not found.")
            try:
                root = ET.fromstring(body)
            except ET.ParseError as e:
                return self._error(400, "MalformedXML", f"CompleteMultipartUpload: {e}")
            parts = []
            for p in root.iter():
                if p.tag.split("}")[-1] == "Part":
                    num = etag = None
                    for c in p:
                        name = c.tag.split("}")[-1]
                        if name == "PartNumber":
                            num = int(c.text)
                        elif name == "ETag":
                            etag = (c.text or "").strip()
                    parts.append((num, etag))
            if not parts:
                return self._error(400, "MalformedXML", "CompleteMultipartUpload lists no part")
            if [n for n, _ in parts] != sorted(n for n, _ in parts):
                return self._error(400, "InvalidPartOrder", "parts are not in ascending order")
            data = bytearray()
            for num, etag in parts:
                chunk = up[2].get(num)
                if chunk is None:
                    return self._error(400, "InvalidPart", f"part {num} was not uploaded")
                want = hashlib.md5(chunk).hexdigest()
                if etag.strip('"') != want:
                    return self._error(400, "InvalidPart", f"part {num}: ETag {etag} does not match")
                data += chunk
            with store.lock:
                store.uploads.pop(uid, None)
            obj = store.put(bucket, key, bytes(data), up[3])
            xml = (
                "<?xml version='1.0' encoding='UTF-8'?>"
                "<CompleteMultipartUploadResult xmlns='http://s3.amazonaws.com/doc/2006-03-01/'>"
                f"<Location>/{escape(bucket)}/{escape(key)}</Location><Bucket>{escape(bucket)}</Bucket>"
                f"<Key>{escape(key)}</Key><ETag>{escape(obj.etag)}</ETag></CompleteMultipartUploadResult>"
            ).encode()
            return self._send(200, xml, {"x-goog-generation": str(obj.generation)})
        return self._error(400, "InvalidArgument", "POST needs ?uploads or ?uploadId=")

    def _delete(self, bucket, key, query, _body):
        store = self.server.storage
        if "uploadId" in query:
            with store.lock:
                up = store.uploads.pop(query["uploadId"], None)
            if up is None:
                return self._error(404, "NoSuchUpload", "The requested upload was not found.")
            return self._send(204, b"", content_type=None)
        if store.delete(bucket, key) is None:
            return self._error(404, "NoSuchKey", "The specified key does not exist.")
        return self._send(204, b"", content_type=None)

    # -- listing ----------------------------------------------------------------------------

    def _list(self, bucket, query):
        if query.get("list-type") != "2":
            return self._error(400, "InvalidArgument", "this stub lists with list-type=2 only")
        prefix = query.get("prefix", "")
        delim = query.get("delimiter", "")
        token = query.get("continuation-token")
        start_after = query.get("start-after", "")
        page = self.server.page_size
        if "max-keys" in query:
            page = max(1, min(page, int(query["max-keys"])))
        with self.server.storage.lock:
            items = sorted(self.server.storage.buckets[bucket].items())
        # Entries in key order: objects, and common prefixes rolled up under the delimiter.
        entries = []  # (sort key, kind, value)
        seen = set()
        for key, obj in items:
            if not key.startswith(prefix):
                continue
            if delim:
                rest = key[len(prefix):]
                i = rest.find(delim)
                if i >= 0:
                    cp = prefix + rest[: i + len(delim)]
                    if cp not in seen:
                        seen.add(cp)
                        entries.append((cp, "prefix", cp))
                    continue
            entries.append((key, "object", obj))
        after = token or start_after
        if after:
            entries = [e for e in entries if e[0] > after]
        chunk, more = entries[:page], len(entries) > page
        out = [
            "<?xml version='1.0' encoding='UTF-8'?>",
            "<ListBucketResult xmlns='http://s3.amazonaws.com/doc/2006-03-01/'>",
            f"<Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix>",
            f"<KeyCount>{len(chunk)}</KeyCount><MaxKeys>{page}</MaxKeys>",
            f"<IsTruncated>{'true' if more else 'false'}</IsTruncated>",
        ]
        if delim:
            out.append(f"<Delimiter>{escape(delim)}</Delimiter>")
        if more:
            out.append(f"<NextContinuationToken>{escape(chunk[-1][0])}</NextContinuationToken>")
        for key, kind, v in chunk:
            if kind == "object":
                lm = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(v.mtime)) + ".000Z"
                out.append(
                    f"<Contents><Key>{escape(key)}</Key><Generation>{v.generation}</Generation>"
                    f"<LastModified>{lm}</LastModified><ETag>{escape(v.etag)}</ETag><Size>{len(v.data)}</Size>"
                    "<StorageClass>STANDARD</StorageClass></Contents>"
                )
        for _, kind, v in chunk:
            if kind == "prefix":
                out.append(f"<CommonPrefixes><Prefix>{escape(v)}</Prefix></CommonPrefixes>")
        out.append("</ListBucketResult>")
        return self._send(200, "".join(out).encode())


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, args):
        super().__init__(addr, Handler)
        self.token = args.token
        self.storage = Storage(args.bucket or ["bucket"], args.dir)
        self.page_size = args.page_size
        self.fail_after = args.fail_after
        self.next_token = args.next_token
        self.service_account = args.service_account
        self.sa_public_key = args.sa_public_key
        self.verified = set()
        self.expired = False
        self._n = 0
        self._n_lock = threading.Lock()
        self.log = []
        self.log_file = open(args.log, "a", buffering=1) if args.log else None

    def jwt_ok(self, jwt):
        """A service account's self-signed JWT: its issuer, its expiry, its RS256 signature."""
        if jwt in self.verified:
            return True
        import base64, subprocess, tempfile
        def b64(s):
            return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
        try:
            head, body, sig = jwt.split(".")
            header, claims = json.loads(b64(head)), json.loads(b64(body))
        except ValueError:
            return False
        if header.get("alg") != "RS256" or claims.get("iss") != self.service_account or claims.get("exp", 0) < time.time():
            return False
        with tempfile.NamedTemporaryFile() as signed, tempfile.NamedTemporaryFile() as signature:
            signed.write(f"{head}.{body}".encode()); signed.flush()
            signature.write(b64(sig)); signature.flush()
            r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", self.sa_public_key, "-signature", signature.name, signed.name], capture_output=True)
        if r.returncode != 0:
            return False
        self.verified.add(jwt)
        return True

    def count(self):
        with self._n_lock:
            self._n += 1
            return self._n

    def record(self, method, path, status):
        entry = {"method": method, "path": path, "status": status}
        self.log.append(entry)
        if self.log_file:
            self.log_file.write(json.dumps(entry) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port (printed first on stdout)")
    ap.add_argument("--token", required=True, help="the bearer token every request must carry")
    ap.add_argument("--bucket", action="append", help="a bucket that exists (repeatable; default: bucket)")
    ap.add_argument("--page-size", type=int, default=1000, help="keys per list page")
    ap.add_argument("--fail-after", type=int, default=None, help="answer 401 to every request after the first N")
    ap.add_argument("--service-account", default=None, help="accept self-signed JWTs of this service account e-mail")
    ap.add_argument("--sa-public-key", default=None, help="the service account's public key (PEM), to verify them")
    ap.add_argument("--tls-cert", default=None, help="serve https with this certificate (PEM)")
    ap.add_argument("--tls-key", default=None, help="the certificate's private key (PEM)")
    ap.add_argument("--next-token", default=None, help="a renewed token, accepted always (also after /_stub/expire)")
    ap.add_argument("--dir", default=None, help="also keep each object as a file under DIR/BUCKET/")
    ap.add_argument("--log", default=None, help="append one JSON line per request to this file")
    ap.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin closes (the parent died)")
    args = ap.parse_args(argv)
    srv = Server((args.host, args.port), args)
    if args.tls_cert:
        # https, as the real services speak: the test trusts this certificate through SSL_CERT_FILE.
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print(srv.server_address[1], flush=True)
    if args.exit_on_stdin_eof:
        def watch():
            try:
                sys.stdin.buffer.read()
            finally:
                os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
