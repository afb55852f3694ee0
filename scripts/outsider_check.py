#!/usr/bin/env python
"""Replay, from outside, the hostile requests that once gave a 500 (issue 17).

    python scripts/outsider_check.py http://127.0.0.1:8000

Run it against a portal with the demo data (``seed_demo``), ideally with production
settings behind gunicorn. It logs in through the real log-in form as the demo teacher and
the demo association administrator, finds its way from page to page like a person with a
browser would (no database access), sends each hostile request and prints one line per
request with the status it got. It exits with 1 if any answer is a 5xx.
"""

from __future__ import annotations

import re
import sys
from html import unescape

import requests

PASSWORD = "aaben-skole-demo"  # noqa: S105 - the demo password, printed by seed_demo too
TEACHER = "laerer@skole.helsingor.example"
ASSOCIATION = "forening@helsingor-roklub.example"
#: (start, end) at the edges of the calendar; everything else in the form is filled honestly.
EXTREMES = [
    ("0001-01-01T00:00", "0001-01-01T02:00"),
    ("9999-09-01T10:00", "9999-09-01T12:00"),
    ("9999-12-31T21:00", "9999-12-31T23:59"),
]


def selected(html: str, name: str) -> str:
    """The value a browser sends for a select or hidden field as the page shows it."""
    select = re.search(f'<select name="{name}".*?</select>', html, re.S)
    if select:
        chosen = re.search(r'<option value="(\d+)"[^>]*selected', select.group(0)) or re.search(
            r'<option value="(\d+)"', select.group(0)
        )
        return chosen.group(1) if chosen else ""
    hidden = re.search(f'name="{name}" value="([^"]*)"', html)
    return hidden.group(1) if hidden else ""


class Visitor:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.http = requests.Session()

    def _plain_cookies(self):
        # Production cookies are Secure; this check talks plain HTTP on localhost.
        for cookie in self.http.cookies:
            cookie.secure = False

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base + path, allow_redirects=True, timeout=30)
        self._plain_cookies()
        return response

    def post(self, path: str, data: dict) -> requests.Response:
        token = self.http.cookies.get("csrftoken", "")
        response = self.http.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.base + path, "X-CSRFToken": token},
            allow_redirects=False,
            timeout=30,
        )
        self._plain_cookies()
        return response

    def log_in(self, email: str) -> None:
        self.get("/login/")
        response = self.post("/login/", {"username": email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"could not log in as {email}: {response.status_code}")


def links(html: str, pattern: str) -> list[str]:
    return list(dict.fromkeys(unescape(m) for m in re.findall(f'href="({pattern})"', html)))


def actions(html: str, pattern: str) -> list[str]:
    return list(dict.fromkeys(unescape(m) for m in re.findall(f'action="({pattern})"', html)))


def main(base: str) -> int:
    results: list[tuple[str, int]] = []

    def record(what: str, response: requests.Response) -> None:
        results.append((what, response.status_code))
        print(f"{response.status_code}  {what}")

    anonymous = Visitor(base)
    for path in ["/calendar/%00.ics", "/calendar/a%00b.ics", "/offers/?q=%00"]:
        record(f"GET {path}", anonymous.get(path))

    teacher = Visitor(base)
    teacher.log_in(TEACHER)
    catalog = teacher.get("/offers/").text
    for offer in links(catalog, r"/offers/[-\w]+/")[:30]:
        form = teacher.get(offer + "book/")
        if form.status_code != 200 or 'name="preferred_1"' not in form.text:
            continue
        for value, _end in EXTREMES:
            data = {
                "school": selected(form.text, "school"),
                "preferred_1": value,
                "sessions": 1,
                "classes": "5.A",
                "class_count": 1,
                "grade": 5,
                "pupils": 20,
                "contact_teacher": selected(form.text, "contact_teacher"),
                "special_needs": "",
                "message": "",
            }
            record(f"POST {offer}book/ preferred_1={value}", teacher.post(offer + "book/", data))
        break

    association = Visitor(base)
    association.log_in(ASSOCIATION)
    home = association.get("/association/").text  # their association's page
    for page in links(home, r"/my-offers/\d+/occasions/")[:1]:
        for value, end in EXTREMES:
            data = {"starts_at": value, "ends_at": end, "capacity": 2, "capacity_unit": "classes"}
            record(f"POST {page} starts_at={value}", association.post(page, data))
            data = {
                "starts_at": "2027-03-10T10:00",
                "ends_at": "2027-03-10T12:00",
                "capacity": 2,
                "capacity_unit": "classes",
                "allocation_deadline": value,
                "extra_sessions": value[8:10] + ".01." + value[:4] + " 10:00-11:00",
            }
            record(f"POST {page} deadline/sessions in {value[:4]}", association.post(page, data))
        for edit in links(association.get(page).text, r"/occasions/\d+/edit/")[:1]:
            for value, end in EXTREMES:
                data = {
                    "starts_at": value,
                    "ends_at": end,
                    "capacity": 2,
                    "capacity_unit": "classes",
                }
                record(f"POST {edit} starts_at={value}", association.post(edit, data))

    bookings = association.get("/association/").text
    for detail in links(bookings, r"/bookings/\d+/")[:20]:
        page = association.get(detail).text
        for action in actions(page, r"/bookings/\d+/propose_alternative/")[:1]:
            for value, end in EXTREMES:
                data = {"propose-starts_at": value, "propose-ends_at": end}
                record(f"POST {action} {value}", association.post(action, data))
        for action in actions(page, r"/bookings/\d+/confirm/")[:1]:
            response = association.post(action, {"chosen": "not-a-date"})
            record(f"POST {action} chosen=not-a-date", response)
            after = association.get(detail).text
            print("     still waiting for an answer" if "/confirm/" in after else "     CONFIRMED")
    events = association.get("/school-events/").text
    for page in links(events, r"/school-events/\d+/take-part/")[:1]:
        for value in ["abc", "1\x00", "-1", str(2**64)]:
            data = {"association": value, "message": "Vi vil gerne"}
            record(f"POST {page} association={value!r}", association.post(page, data))

    failures = [what for what, status in results if status >= 500]
    print(f"\n{len(results)} hostile requests, {len(failures)} answered with a 5xx")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
