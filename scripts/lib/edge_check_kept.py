"""Checks that an uploaded item is intact on a running frontend: its metadata
reads back exactly as the upload answered, its original hashes to its
SHA-256, each variant has its size and hashes to its ETag (the SHA-256
recorded at upload), and a search finds it. Used by
scripts/test.d/40-edge.sh around restarts and the scheduled collection.

    python3 edge_check_kept.py BASE_URL TOKEN UPLOAD_RESPONSE_JSON SEARCH
"""

import hashlib
import json
import sys
import urllib.parse
import urllib.request


def get(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as res:
        return res.status, dict(res.headers), res.read()


def main():
    base, token, uploaded, search = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
    media_id = uploaded["id"]

    _, _, body = get(f"{base}/api/v1/media/{media_id}", token)
    now = json.loads(body)
    assert now == uploaded, f"the row changed:\n{uploaded}\n!=\n{now}"

    _, _, original = get(f"{base}/{uploaded['path']}")
    assert hashlib.sha256(original).hexdigest() == uploaded["sha256"], "the original changed"
    assert uploaded["variants"], "variants were rendered"
    for v in uploaded["variants"]:
        _, headers, data = get(f"{base}/{v['path']}")
        assert len(data) == v["size"], f"{v['path']}: {len(data)} bytes, not {v['size']}"
        etag = {k.lower(): val for k, val in headers.items()}["etag"].strip('"')
        assert hashlib.sha256(data).hexdigest() == etag, f"{v['path']}: the bytes changed"

    query = urllib.parse.urlencode({"q": search, "limit": 1000})
    _, _, body = get(f"{base}/api/v1/media?{query}", token)
    assert any(m["id"] == media_id for m in json.loads(body)), "no longer listed"
    print(f"  {1 + len(uploaded['variants'])} files of {media_id} served unchanged, still listed")


if __name__ == "__main__":
    main()
