"""The chaos test's races: writes of every kind sent at the same moment, and what each race may end in.

Each race is judged on its answers (exactly one writer wins where one version is contended;
the others are refused with 409, 412 or 404, never a 5xx); the scenario's writes are then
checked against the database (``chaos_stage.settle``).
"""

import secrets

from chaos_checks import Ack, Result, judge_race
from chaos_client import Api, Tally, Writes, at_once, status
from chaos_stage import Stage, check_versions, settle

RACERS = 6  # parallel requests per race (the app server has 2 workers: they queue and interleave)


def judge(tally: Tally, name: str, statuses: list, **rules) -> None:
    verdict = judge_race(name, statuses, **rules)
    for what in verdict.wrong:
        tally.refuse(what)
    tally.lose(verdict.lost)  # several writers won one version: all but one change are gone


def new_duty(stage: Stage, api: Api, writes: Writes, text: str) -> tuple[int, str]:
    answer = api.post("/api/v1/duties/", stage.duty(text))
    if answer is None or answer.status != 201:
        raise SystemExit(f"chaos: could not create a duty: {answer}")
    writes.ack(Ack("create", answer.data["id"], answer.data["version"], text), answer)
    return answer.data["id"], answer.etag


def patches(api: Api, writes: Writes, duty: int, texts: list[str], if_match: str) -> list:
    """One PATCH job per text; an acknowledged one is remembered with the version it made."""

    def job(text):
        writes.sent(duty, text)
        answer = api.patch(f"/api/v1/duties/{duty}/", {"description_en": text}, if_match)
        if status(answer) == 200:
            writes.ack(Ack("update", duty, answer.data["version"], text), answer)
        return status(answer)

    return [lambda text=text: job(text) for text in texts]


def deletes(api: Api, writes: Writes, duty: int, if_match: str, count: int) -> list:
    def job():
        writes.sent(duty, delete=True)
        answer = api.delete(f"/api/v1/duties/{duty}/", if_match)
        if status(answer) == 204:
            writes.ack(Ack("delete", duty), answer)
        return status(answer)

    return [job] * count


def texts(label: str, count: int) -> list[str]:
    return [f"chaos {label} {secrets.token_hex(4)} writer {n}" for n in range(count)]


def same_row(stage: Stage, trials: int) -> Result:
    """One row, many writers: one If-Match, PATCH against DELETE, many DELETEs, and If-Match: *."""
    tally, writes = Tally(), Writes()
    api = stage.api(tally)
    before = stage.snapshot()
    for trial in range(trials):
        duty, etag = new_duty(stage, api, writes, f"chaos same-row {trial}")
        statuses = at_once(*patches(api, writes, duty, texts("same If-Match", RACERS), etag))
        judge(tally, "PATCH, one If-Match", statuses, winners={200}, losers={409, 412})

        statuses = at_once(*patches(api, writes, duty, texts("If-Match *", RACERS), "*"))
        judge(tally, "PATCH, If-Match *", statuses, winners={200}, losers=set(), wins=RACERS)

        etag = api.get(f"/api/v1/duties/{duty}/").etag
        jobs = patches(api, writes, duty, texts("against DELETE", RACERS - 2), etag)
        statuses = at_once(*jobs, *deletes(api, writes, duty, etag, 2))
        judge(tally, "PATCH against DELETE", statuses, winners={200, 204}, losers={404, 412})

        duty, etag = new_duty(stage, api, writes, f"chaos deletes {trial}")
        statuses = at_once(*deletes(api, writes, duty, etag, RACERS))
        judge(tally, "DELETEs, one If-Match", statuses, winners={204}, losers={404, 412})
    return settle(stage, "1 same-row races", tally, writes, before)


def create_delete(stage: Stage, trials: int) -> Result:
    """New rows raced by deletes and changes, twin creates, and a create racing its role's deletion."""
    tally, writes = Tally(), Writes()
    api = stage.api(tally)
    roles = new_roles(api, "twin", 2) + new_roles(api, "doomed", trials)
    before = stage.snapshot()
    for trial in range(trials):
        duty, _etag = new_duty(stage, api, writes, f"chaos created {trial}")
        jobs = patches(api, writes, duty, texts("new row", RACERS // 2), "*")
        statuses = at_once(*jobs, *deletes(api, writes, duty, "*", RACERS // 2))
        judge(tally, "new row: PATCH and DELETE", statuses, winners={204}, losers={200, 404})

        line = {"subordinate": roles[0], "superior": roles[1], "kind": "dotted", "editorial": True}
        answers = at_once(*[lambda line=line: api.post("/api/v1/reporting-lines/", line)] * RACERS)
        judge(tally, "twin creates", [status(a) for a in answers], winners={201}, losers={400})
        for answer in answers:
            if status(answer) == 201:
                api.delete(f"/api/v1/reporting-lines/{answer.data['id']}/", answer.etag)

    # Deleting a role deletes its rows too (one write, many records): the version check ends here.
    check_versions(stage, tally, before)
    for trial in range(trials):
        doomed = roles[2 + trial]
        body = {**stage.duty(f"chaos orphan {trial}"), "role": doomed}
        answers = at_once(
            lambda doomed=doomed: api.delete(f"/api/v1/roles/{doomed}/", "*"),
            *[lambda body=body: api.post("/api/v1/duties/", body)] * (RACERS - 1),
        )
        judge(tally, "role deleted", [status(answers[0])], winners={204}, losers=set())
        judge(
            tally,
            "create in a deleted role",
            [status(a) for a in answers[1:]],
            winners={201, 400},
            losers=set(),
            wins=RACERS - 1,
        )
        orphans = stage.db.rows(
            "SELECT COUNT(*) FROM responsibilities_duty d LEFT JOIN roles_role r ON r.id = d.role_id WHERE r.id IS NULL"
        )[0][0]
        if orphans:
            tally.refuse(f"{orphans} duties of a deleted role")
    return settle(stage, "2 create/delete races", tally, writes)


def new_roles(api: Api, label: str, count: int) -> list[str]:
    slugs = []
    for _ in range(count):
        slug = f"chaos-{label}-{secrets.token_hex(4)}"
        body = {"slug": slug, "title_en": slug, "title_nb": slug, "level": "clinician", "editorial": True}
        answer = api.post("/api/v1/roles/", body)
        if answer is None or answer.status != 201:
            raise SystemExit(f"chaos: could not create a role: {answer and answer.status} {answer and answer.data}")
        slugs.append(slug)
    return slugs


def line_races(stage: Stage, trials: int) -> Result:
    """A→B against B→A (and a triangle A→B→C→A), solid, at the same moment: never a cycle."""
    tally, writes = Tally(), Writes()
    api = stage.api(tally)
    pairs = [new_roles(api, "pair", 2) for _ in range(trials)]
    triangles = [new_roles(api, "triangle", 3) for _ in range(trials)]
    before = stage.snapshot()

    def solid(subordinate, superior):
        line = {"subordinate": subordinate, "superior": superior, "kind": "reports_to", "editorial": True}
        return lambda: status(api.post("/api/v1/reporting-lines/", line))

    for a, b in pairs:
        statuses = at_once(*[solid(a, b), solid(b, a)] * (RACERS // 2))
        judge(tally, "A→B against B→A", statuses, winners={201}, losers={400})
    for a, b, c in triangles:
        statuses = at_once(*[solid(a, b), solid(b, c), solid(c, a)] * 2)
        judge(tally, "A→B→C→A", statuses, winners={201}, losers={400}, wins=2)
    return settle(stage, "3 A→B vs B→A lines", tally, writes, before)
