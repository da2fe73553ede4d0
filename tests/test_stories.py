"""Success stories: live numbers, privacy, escaping, drafts, errors and suggestions (#7)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.build import latest_date
from generator.config import load_config
from generator.errors import BuildError
from generator.evidence import wilson_interval
from generator.metrics import metric_params, run_query
from generator.resources import bundled
from generator.stories import Span, StoryData, candidates, read_stories, read_story, resolve

from .conftest import ENGINES, engine_settings, run_cli, search_docs, search_index_path

HOSTILE = {"img": "<img src=x onerror=alert(1)>", "link": "[x](javascript:alert(1))",
           "jinja": "{{ 7*7 }}"}


def _rep(sample, persona: str, nth: int = 0) -> str:
    return [rep for rep, p in sample.personas.items() if p == persona][nth]


def _names(sample) -> dict[str, str]:
    with open(sample.folder / "User.csv", encoding="utf-8", newline="") as handle:
        return {row["Id"]: row["Name"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def data(sample_con) -> StoryData:
    config = load_config()
    return StoryData(sample_con, config, metric_params(config, latest_date(sample_con, config)))


def _story(tmp_path: Path, text: str, name: str = "x.md"):
    folder = tmp_path / "content" / "stories"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return read_story(folder / name, f"content/stories/{name}")


def _front(rep: str, extra: str = "", title: str = "A story") -> str:
    return (f'---\ntitle: "{title}"\ndate: 2026-09-01\nrep: {rep}\nconsent: false\n'
            f"tags: [habit]\n{extra}---\n")


# ---- numbers --------------------------------------------------------------------------------
def test_placeholders_give_the_metric_layers_numbers(sample, sample_con, data, tmp_path):
    improver = _rep(sample, "improver")
    before, after = data.rise(improver)
    assert before.end < sample.improver_switch <= after.end
    rows = [r for r in run_query(sample_con, "outcomes_by_rep_period", data.params).dicts()
            if r["rep_id"] == improver]
    tiers = {r["period_index"]: r for r in
             run_query(sample_con, "adoption_tier", data.params).dicts()
             if r["rep_id"] == improver}
    for span, side in ((before, "before"), (after, "after")):
        inside = [r for r in rows if span.start <= tiers[r["period_index"]]["period_start"]
                  and tiers[r["period_index"]]["period_end"] <= span.end]
        won, closed = sum(r["won_deals"] for r in inside), sum(r["closed_deals"] for r in inside)
        amount = sum(r["won_amount"] for r in inside)
        workdays = sum(tiers[r["period_index"]]["workdays"] for r in inside)
        active = sum(tiers[r["period_index"]]["active_days"] for r in inside)
        story = _story(tmp_path, _front(improver) + "\n".join(
            f"{m}: [[metric {m} period={side}]]" for m in
            ("win_rate", "won_deals", "closed_deals", "mean_won_amount", "active_day_share")))
        body = str(resolve(story, data).body)
        low, high = wilson_interval(won, closed)
        assert closed >= data.min_n
        assert (f"win_rate: {won / closed:.0%} &#40;95% interval {low:.0%}–{high:.0%}, "
                f"n = {closed} closed deals&#41;") in body
        assert f"won_deals: {won} of {closed} closed deals" in body
        assert f"closed_deals: {closed}\n" in body
        assert f"active_day_share: {active / workdays:.0%} of {workdays} workdays" in body
        if won >= data.min_n:
            assert f"mean_won_amount: USD {amount / won:,.0f} &#40;mean of {won}" in body
        else:
            assert "mean_won_amount: not enough data &#40;" in body


def test_a_date_range_counts_the_deals_that_closed_in_it(sample, data, tmp_path):
    """Plain Python over the export: closed deals by close date, as known at the range end."""
    rep = _rep(sample, "daily")
    span = Span(dt.date(2025, 12, 1), dt.date(2026, 5, 31))
    closed = won = 0
    with open(sample.folder / "Opportunity.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["OwnerId"] != rep or row["IsClosed"] != "true" or not row["CloseDate"]:
                continue
            created = dt.date.fromisoformat(row["CreatedDate"][:10])
            if span.start <= dt.date.fromisoformat(row["CloseDate"]) <= span.end \
                    and created <= span.end:
                closed += 1
                won += row["IsWon"] == "true"
    story = _story(tmp_path, _front(rep, "period_before: 2025-12-01..2026-05-31\n") +
                   "[[metric won_deals period=before]]")
    assert f"{won} of {closed} closed deals" in str(resolve(story, data).body)
    assert closed > 0


def test_suggest_ranks_the_improver_first(sample, tmp_path):
    result = run_cli("stories", "suggest", "--data", str(sample.folder), "--out",
                     str(tmp_path), "--limit", "5")
    assert result.exit_code == 0, result.output
    table = [line for line in result.output.splitlines() if re.match(r"^\d+\s", line)]
    assert table and _rep(sample, "improver") in table[0].split()
    draft = tmp_path / f"story-{_rep(sample, 'improver').lower()}.md"
    story = read_story(draft, draft.name)
    assert story.draft and story.meta["consent"] is False
    assert "Farid" not in story.body and "[[metric win_rate period=after]]" in story.body


def test_suggest_ranks_by_evidence_and_drafts_none_whose_interval_spans_zero(data, sample,
                                                                           tmp_path):
    found = candidates(data)
    lows = [c.difference[1] for c in found]
    assert lows == sorted(lows, reverse=True)  # strongest own evidence first
    unclear = [c for c in found if c.difference[1] <= 0 <= c.difference[2]]
    assert unclear and all(c.verdict == "interval spans zero" for c in unclear)
    result = run_cli("stories", "suggest", "--data", str(sample.folder), "--out",
                     str(tmp_path), "--limit", "50")
    assert result.exit_code == 0, result.output
    for candidate in found:
        draft = tmp_path / f"story-{candidate.rep_id.lower()}.md"
        assert draft.exists() is candidate.clear, candidate
    line = next(row for row in result.output.splitlines() if unclear[0].rep_id in row)
    assert "interval spans zero" in line and line.rstrip().endswith("no draft")
    assert "get no draft" in result.output and "by chance" in result.output


def test_candidates_never_rest_on_fewer_than_min_n_deals(data, sample, tmp_path):
    found = candidates(data)
    assert found[0].rep_id == _rep(sample, "improver")
    assert all(min(c.before.closed, c.after.closed) >= data.min_n for c in found)
    config = tmp_path / "crmproof.yml"
    config.write_text("min_n: 1000\n", encoding="utf-8")
    result = run_cli("stories", "suggest", "--data", str(sample.folder), "--config",
                     str(config), "--out", str(tmp_path / "drafts"))
    assert result.exit_code == 0, result.output
    assert "No candidates" in result.output and not (tmp_path / "drafts").exists()


def test_new_story_writes_a_draft_skeleton_that_builds_once_published(sample, data,
                                                                       tmp_path):
    for persona in ("improver", "daily"):
        rep = _rep(sample, persona)
        result = run_cli("new-story", rep, "--data", str(sample.folder), "--out",
                         str(tmp_path))
        assert result.exit_code == 0, result.output
        path = tmp_path / f"story-{rep.lower()}.md"
        story = read_story(path, path.name)
        assert story.draft and story.meta["consent"] is False
        assert "[[metric win_rate period=" in story.body
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true",
                                                                 "draft: false"))
        body = str(resolve(read_story(path, path.name), data).body)
        assert "95% interval" in body and "[[" not in body
    again = run_cli("new-story", rep, "--data", str(sample.folder), "--out", str(tmp_path))
    assert again.exit_code != 0 and "exists" in again.output


# ---- errors and escaping --------------------------------------------------------------------
@pytest.mark.parametrize(("body", "line", "message"), [
    ("Text\n\nwon [[metric win_rat period=after]]", 11, "unknown metric 'win_rat'; known: "
     "win_rate, won_deals, closed_deals, mean_won_amount, active_day_share, tier"),
    ("[[metric win_rate period=later]]", 9, "unknown period 'later'; known: before, after"),
    ("a\n[[wat]]", 10, "cannot read placeholder '[[wat]]'"),
])
def test_a_bad_placeholder_names_file_and_line(sample, data, tmp_path, body, line, message):
    story = _story(tmp_path, _front(_rep(sample, "improver")) + "\n" + body)
    with pytest.raises(BuildError) as error:
        resolve(story, data)
    assert str(error.value).startswith(f"content/stories/x.md:{line}: {message}")


def test_an_unknown_rep_names_the_rep_line(data, tmp_path):
    story = _story(tmp_path, _front("005NOBODY"))
    with pytest.raises(BuildError, match=r"^content/stories/x.md:4: unknown rep '005NOBODY'"):
        resolve(story, data)


def test_an_anonymous_story_may_not_spell_out_the_name(sample, data, tmp_path):
    improver = _rep(sample, "improver")
    first = _names(sample)[improver].split()[0]
    story = _story(tmp_path, _front(improver) + f"\nGreat work.\n{first} did it.\n")
    with pytest.raises(BuildError, match=rf"x.md:10: names the rep \('{first}'\)"):
        resolve(story, data)


_CYRILLIC = str.maketrans("aceopxyAEKMHOPCTX", "асеорхуАЕКМНОРСТХ")


@pytest.mark.parametrize("disguise", [
    lambda n: n[0] + "\u200b" + n[1:],  # zero-width space
    lambda n: n[:2] + "\u00ad" + n[2:],  # soft hyphen
    lambda n: n.translate(_CYRILLIC),  # Cyrillic look-alike letters
    lambda n: "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in n),
    lambda n: n[0] + "\u0301" + n[1:],  # a combining accent
], ids=["zero-width-space", "soft-hyphen", "cyrillic", "full-width", "accent"])
def test_a_disguised_name_is_still_caught(sample, data, tmp_path, disguise):
    improver = _rep(sample, "improver")
    last = _names(sample)[improver].split()[-1]
    assert disguise(last) != last
    story = _story(tmp_path, _front(improver) + f"\nGreat work.\n{disguise(last)} did it.\n")
    with pytest.raises(BuildError, match=rf"x.md:10: names the rep \('{last}'\)"):
        resolve(story, data)


def test_the_body_is_never_a_template(sample, data, tmp_path):
    body = "{{ 7*7 }} {% raw %}x{% endraw %} <script>ok()</script> \\[[not a placeholder]]"
    story = _story(tmp_path, _front(_rep(sample, "improver"), title="{{ 7*7 }} <b>") + body)
    resolved = resolve(story, data)
    assert body in str(resolved.body)
    assert "49" not in str(resolved.title) and "<b>" not in str(resolved.title)


def test_the_cli_reports_an_unknown_metric_in_one_line(sample, tmp_path):
    project = tmp_path / "project"
    (project / "content" / "stories").mkdir(parents=True)
    (project / "crmproof.yml").write_text("min_n: 10\n", encoding="utf-8")
    (project / "content" / "stories" / "bad.md").write_text(
        _front(_rep(sample, "improver")) + "\nwon [[metric win_rat period=after]]\n",
        encoding="utf-8")
    result = run_cli("build", "--config", str(project / "crmproof.yml"), "--data",
                     str(sample.folder), "--out", str(tmp_path / "site"), "--quiet",
                     "--no-cache")
    assert result.exit_code == 5
    assert result.output.strip().splitlines() == [
        "Error: content/stories/bad.md:9: unknown metric 'win_rat'; known: win_rate, "
        "won_deals, closed_deals, mean_won_amount, active_day_share, tier"]


# ---- built sites ----------------------------------------------------------------------------
def _texts(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8", errors="replace")
            for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml",
                                                                       ".svg", ".js")}


def test_the_demo_publishes_its_stories_without_names(sample, any_demo_site):
    demo_site = any_demo_site
    stories = [s for s in read_stories(bundled("content") / "stories") if not s.draft]
    assert len(stories) >= 2
    names = _names(sample)
    pages = sorted((demo_site / "stories").glob("*/index.html"))
    assert len(pages) == len(stories)
    index = (demo_site / "stories" / "index.html").read_text(encoding="utf-8")
    assert all(page.parent.name in index for page in pages)
    texts = _texts(demo_site)
    for story in stories:
        name = names[story.meta["rep"]]
        assert not [path for path, text in texts.items() if name in text], name
        for part in name.split():
            assert not [p for p, t in texts.items() if p.startswith("stories/") and part in t]
    titles = [d["title"] for d in search_docs(demo_site) if d["location"].startswith("stories/")]
    assert any("a rep in the" in title.lower() for title in titles)
    assert "95% interval" in (pages[0]).read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=ENGINES)
def hostile_site(sample, tmp_path_factory, request):
    """privacy: named; consented stories for reps with hostile names; a draft; an
    unconsented story for the improver; built by each site engine."""
    root = tmp_path_factory.mktemp("hostile")
    export = root / "export"
    shutil.copytree(sample.folder, export)
    reps = {key: _rep(sample, persona) for key, persona in
            (("img", "daily"), ("link", "moderate"), ("jinja", "friday_batcher"))}
    with open(export / "User.csv", encoding="utf-8", newline="") as handle:
        users = list(csv.reader(handle))
    for row in users[1:]:
        for key, rep in reps.items():
            if row[0] == rep:
                row[2], row[3], row[4] = "", HOSTILE[key], HOSTILE[key]
    with open(export / "User.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(users)
    project = root / "project"
    stories = project / "content" / "stories"
    stories.mkdir(parents=True)
    (project / "crmproof.yml").write_text("privacy: named\n" + engine_settings(request.param),
                                          encoding="utf-8")
    for key, rep in reps.items():
        (stories / f"{key}.md").write_text(
            _front(rep, title=f"[[Rep]] and {key}").replace("consent: false", "consent: true")
            + "\n[[rep]] logs daily. {{ 7*7 }} {% raw %}\n<script>window.ok = 1</script>\n"
              "Win rate [[metric win_rate period=all]].\n", encoding="utf-8")
    (stories / "draft.md").write_text(_front(reps["img"], "draft: true\n",
                                             title="Unfinished draft zebra"),
                                      encoding="utf-8")
    (stories / "secret.md").write_text(_front(_rep(sample, "improver"),
                                              title="Quiet improver") + "[[Rep]] improved.\n",
                                       encoding="utf-8")
    result = run_cli("build", "--config", str(project / "crmproof.yml"), "--data", str(export),
                     "--out", str(root / "site"), "--quiet", "--no-cache")
    assert result.exit_code == 0, result.output
    return root / "site"


def test_hostile_names_are_shown_escaped(hostile_site):
    texts = {p: t for p, t in _texts(hostile_site).items() if p.startswith("stories/")}
    story_pages = [t for p, t in texts.items() if p.count("/") == 2]
    assert len(story_pages) == 4
    everything = "\n".join(texts.values())
    assert "<img src=x" not in everything and 'href="javascript:' not in everything
    joined = "\n".join(story_pages)
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined or "&#60;img src=x" in joined
    assert "{{ 7*7 }} {% raw %}" in joined  # the manager's own text, shown as written
    assert "<script>window.ok = 1</script>" in joined  # trusted Markdown stays trusted
    title_tags = re.findall(r"<title>(.*?)</title>", joined, re.S)
    assert all("<" not in t for t in title_tags)
    assert "<title>&#123;&#123; 7&#42;7 &#125;&#125; and jinja - " in joined  # not 49
    search = search_index_path(hostile_site).read_text(encoding="utf-8")
    assert "<img src=x" not in search and "\\u003cimg src=x" not in search


def test_drafts_never_publish_and_unconsented_stories_stay_anonymous(sample, hostile_site):
    texts = _texts(hostile_site)
    assert not [p for p, t in texts.items() if "zebra" in t]
    name = _names(sample)[_rep(sample, "improver")]
    secret = [t for p, t in texts.items() if p.startswith("stories/") and "Quiet improver" in t]
    assert secret and not [t for t in secret if name in t or name.split()[0] in t]
    for doc in search_docs(hostile_site):
        if doc["location"].startswith("stories/") and "improver" in doc["title"]:
            assert name not in doc["text"] and name not in doc["title"]
