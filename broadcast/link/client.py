"""The station's client of the hub's /api/v1 (docs/hub.md): one HTTP request per call (urllib),
signed with the station's token after enrolment. Every failure is a LinkError whose KIND says
what to do: `unreachable` and `server` are retried with backoff; `clock`, `revoked`, `unknown`
need a person; `answer` is a hub that does not speak protocol v1."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.link.config import Link
from broadcast.protocol import signing
from broadcast.protocol.records import Bulletin, EnrolReply, Enrolment, Heartbeat, ProtocolError, Receipt

TIMEOUT = 15.0            # seconds for one ordinary request
RETRIED = ("unreachable", "server", "replay", "answer")


class LinkError(BroadcastError):
    """A request to the hub that did not succeed; KIND names why (see the module's doc)."""

    def __init__(self, kind: str, message: str, hint: str | None = None, hub_time: int | None = None):
        super().__init__(message, hint)
        self.kind = kind
        self.hub_time = hub_time


def _refusal(url: str, status: int, body: bytes) -> LinkError:
    try:
        data = json.loads(body)
        kind, said = str(data.get("error", "")), data.get("message")
        hub_time = data.get("hub_time")
    except (ValueError, AttributeError):
        kind, said, hub_time = "", None, None
    if status >= 500:
        return LinkError("server", _("the province hub has a fault for now (HTTP {status})").format(status=status),
                         _("the station tries again by itself; its own schedule airs meanwhile"))
    if kind == "code":
        return LinkError("code", _("the province hub refused the code: it is unknown, already used or expired"),
                         _("ask the province for a new code (valid 7 days, used once)"))
    if kind == "revoked":
        return LinkError("revoked", _("the province revoked this station's link"),
                         _("ask the province for a new code and link again (Cài đặt → Kết nối tỉnh)"))
    if kind == "unknown":
        return LinkError("unknown", _("the province hub does not know this station any more"),
                         _("ask the province for a new code and link again (Cài đặt → Kết nối tỉnh)"))
    if kind == "clock":
        shown = time.strftime("%H:%M:%S %d/%m/%Y", time.localtime(hub_time)) if isinstance(hub_time, int) else "?"
        return LinkError("clock", _("the station's clock differs from the province hub's by more than 5 minutes "
                                    "(hub time: {time})").format(time=shown),
                         _("set the station PC's clock right (check NTP or the clock battery)"),
                         hub_time if isinstance(hub_time, int) else None)
    if kind in ("replay", "forged"):
        return LinkError("replay" if kind == "replay" else "forged",
                         _("the province hub refused the station's signature ({kind})").format(kind=kind),
                         _("if this stays, link the station again with a new code"))
    return LinkError("answer", _("{url}: the province hub answered HTTP {status}: {message}").format(
        url=url, status=status, message=said or body[:200].decode("utf-8", "replace")),
        _("check the hub's address; both sides must speak protocol v1"))


def _unreachable(url: str, exc: Exception) -> LinkError:
    reason = getattr(exc, "reason", exc)
    return LinkError("unreachable", _("cannot reach the province hub at {url}: {reason}").format(url=url, reason=reason),
                     _("check the station's internet (4G) and the hub's address; the station tries again by itself"))


def _send(request: urllib.request.Request, timeout: float) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise _refusal(request.full_url, exc.code, exc.read()) from None
    except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as exc:
        raise _unreachable(request.full_url, exc) from None


def _json(url: str, body: bytes) -> dict:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise LinkError("answer", _("{url}: the answer is not what a province hub sends").format(url=url),
                        _("check the hub's address (the province gave it with the code)"))
    return data


def enrol(url: str, enrolment: Enrolment, timeout: float = TIMEOUT) -> EnrolReply:
    """POST the one-time code (unsigned); the hub's answer carries the station's id and token."""
    target = f"{url}/api/v1/enrol"
    request = urllib.request.Request(target, json.dumps(enrolment.to_json()).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    status, body, _kind = _send(request, timeout)
    try:
        return EnrolReply.from_json(_json(target, body))
    except ProtocolError as exc:
        raise LinkError("answer", _("{url}: the answer is not what a province hub sends ({problem})").format(
            url=target, problem=exc.message), _("check the hub's address (the province gave it with the code)")) from None


class HubClient:
    """Signed requests of one linked station. CLOCK() gives unix seconds (the station's clock)."""

    def __init__(self, link: Link, clock=time.time):
        self.link = link
        self.clock = clock
        self.base_path = urlsplit(link.url).path.rstrip("/")

    def request(self, method: str, path: str, payload: dict | None = None, timeout: float = TIMEOUT) -> tuple[bytes, str]:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        target = f"{self.base_path}{path}"
        headers = {signing.HEADER: signing.header(self.link.station, self.link.token, method, target,
                                                  int(self.clock()), body)}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"{self.link.url}{path}", body if payload is not None else None,
                                         method=method, headers=headers)
        _status, answer, kind = _send(request, timeout)
        return answer, kind

    def _call(self, method: str, path: str, payload: dict | None = None, timeout: float = TIMEOUT) -> dict:
        answer, _kind = self.request(method, path, payload, timeout)
        return _json(f"{self.link.url}{path}", answer)

    def heartbeat(self, beat: Heartbeat) -> dict:
        return self._call("POST", "/api/v1/heartbeat", beat.to_json())

    def asrun(self, rows: list[dict]) -> dict:
        return self._call("POST", "/api/v1/asrun", {"rows": rows})

    def receipts(self, receipts: list[Receipt]) -> dict:
        return self._call("POST", "/api/v1/receipts", {"receipts": [r.to_json() for r in receipts]})

    def bulletins(self, after: int, wait: int) -> tuple[list[Bulletin], int | None]:
        """The bulletins after seq AFTER, and (when there are none) the newest seq the hub delivered."""
        path = f"/api/v1/bulletins?after={after}&wait={wait}"
        data = self._call("GET", path, timeout=wait + TIMEOUT)
        raw, last = data.get("bulletins"), data.get("last_seq")
        if not isinstance(raw, list) or not (last is None or isinstance(last, int) and not isinstance(last, bool)):
            raise LinkError("answer", _("{url}: the answer is not what a province hub sends").format(url=path),
                            _("both sides must speak protocol v1 (docs/hub.md); update the older one"))
        return [Bulletin.from_json(b) for b in raw], last

    def audio(self, bulletin: str) -> bytes:
        answer, _kind = self.request("GET", f"/api/v1/bulletins/{bulletin}/audio", timeout=120)
        return answer
