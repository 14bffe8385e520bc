"""The report in a real browser: headless Chromium (Debian's package) driven by Playwright.

What a reader does — open a pair, click a passage, step through passages by key, sort and filter
the pair list, open a talking point, read it on a phone — and what a hostile document must not do:
run anything. The behaviour tests keep their pictures in a temporary folder; the README's pictures
are taken of the report exactly as ``make report`` writes it (:func:`test_readme_pictures`), into
``$REUSE_SCREENSHOTS`` when set (``make screenshots`` and ``make readme`` set it to
``docs/screenshots``), so they cannot drift from the tool.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect, sync_playwright

from reuse.cli import main
from reuse.outputs.html import report as report_html

from .conftest import SEEDS
from .report_fixtures import aligner_only_config, hostile_results, seed_results, with_talking_point

CHROMIUM = os.environ.get("REUSE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium (or: apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # Playwright gives it a new, empty profile
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the behaviour tests leave their pictures (for a person to look at after a failure)."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def readme_shots(tmp_path_factory) -> Path:
    """Where the README's pictures go: ``$REUSE_SCREENSHOTS``, or a temporary folder."""
    target = os.environ.get("REUSE_SCREENSHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("readme-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def make_report(tmp_path_factory) -> Path:
    """The report exactly as ``make report`` writes it: ``reuse scan seeds/`` with the defaults."""
    out = tmp_path_factory.mktemp("make-report")
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--out", str(out), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "report.html"


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory) -> Path:
    """The report as ``reuse scan seeds/`` writes it, aligner passages only (see ``ALIGNER_ONLY``)."""
    out = tmp_path_factory.mktemp("seed-report")
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--out", str(out), "-q", "--config", aligner_only_config(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "report.html"


@pytest.fixture(scope="module")
def talking_report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tp-report") / "report.html"
    report_html.write_html(with_talking_point(seed_results()), path)
    return path


def open_page(browser: Browser, viewport: dict[str, int]) -> tuple[Page, list[str]]:
    """A fresh page that records every dialog, console error and uncaught exception."""
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    return page, problems


@pytest.fixture
def desktop(browser) -> Iterator[tuple[Page, list[str]]]:
    page, problems = open_page(browser, DESKTOP)
    yield page, problems
    page.context.close()


@pytest.fixture
def phone(browser) -> Iterator[tuple[Page, list[str]]]:
    page, problems = open_page(browser, PHONE)
    yield page, problems
    page.context.close()


def in_column_view(page: Page, selector: str) -> bool:
    """Whether the element is visible inside its scrolling column and inside the window."""
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect(), c = el.closest('.text').getBoundingClientRect();
        return r.top >= c.top - 1 && r.bottom <= c.bottom + 1 && r.top >= 0 && r.bottom <= innerHeight;
    }""")


def test_click_a_passage_brings_its_partner_into_view(desktop, seed_report, shots):
    page, problems = desktop
    page.goto(seed_report.as_uri() + "#pair-1")
    view = page.locator("#pair-1")
    expect(view).to_be_visible()
    expect(page.locator("#home")).to_be_hidden()
    expect(view.locator(".pos")).to_have_text("passage 1 of 2 · fuzzy")  # opening shows passage 1
    for side in "ab":
        expect(page.locator(f'#pair-1 .full .side-{side} mark[data-ps~="0"]').first).to_be_in_viewport()
    page.screenshot(path=shots / "pair.png")
    partner = '#pair-1 .full .side-b mark[data-ps~="1"]'
    page.eval_on_selector("#pair-1 .full .side-b .text", "el => { el.scrollTop = el.scrollHeight; }")
    assert not in_column_view(page, partner), "precondition: the partner starts out of view"
    page.locator('#pair-1 .full .side-a mark[data-ps~="1"]').first.click()
    expect(page.locator(partner).first).to_be_in_viewport()
    assert in_column_view(page, partner)
    expect(page.locator(partner).first).to_have_class("p c1 verbatim active")
    expect(view.locator(".pos")).to_have_text("passage 2 of 2 · verbatim")
    assert not problems


def test_previous_and_next_passage_by_keys_and_buttons(desktop, seed_report):
    page, problems = desktop
    page.goto(seed_report.as_uri() + "#pair-2")
    pos = page.locator("#pair-2 .pos")
    expect(pos).to_have_text("passage 1 of 3 · verbatim")
    page.keyboard.press("j")
    expect(pos).to_have_text("passage 2 of 3 · verbatim")
    for side in "ab":
        mark = page.locator(f'#pair-2 .full .side-{side} mark[data-ps~="1"]').first
        expect(mark).to_be_in_viewport()
        expect(mark).to_have_class("p c1 verbatim active")
    page.keyboard.press("k")
    page.keyboard.press("k")  # wraps around to the last passage
    expect(pos).to_have_text("passage 3 of 3 · verbatim")
    page.locator("#pair-2 button[data-act=next]").click()
    expect(pos).to_have_text("passage 1 of 3 · verbatim")
    page.locator("#pair-2 button[data-act=prev]").click()
    expect(pos).to_have_text("passage 3 of 3 · verbatim")
    page.keyboard.press("Escape")
    expect(page.locator("#pairs")).to_be_visible()
    assert not problems


def test_toggle_between_full_text_and_passages_in_context(desktop, seed_report, shots):
    page, problems = desktop
    page.goto(seed_report.as_uri() + "#pair-2")
    expect(page.locator("#pair-2 .ctxlist")).to_be_hidden()
    page.keyboard.press("t")
    expect(page.locator("#pair-2 .full")).to_be_hidden()
    expect(page.locator("#pair-2 .prow")).to_have_count(3)
    expect(page.locator("#pair-2 button[data-act=ctx]")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("j")
    row = page.locator('#pair-2 .prow[data-p="1"]')
    expect(row).to_have_class("prow active")
    expect(row).to_be_in_viewport()
    page.screenshot(path=shots / "context.png")
    page.locator("#pair-2 button[data-act=full]").click()
    expect(page.locator("#pair-2 .full")).to_be_visible()
    assert not problems


def test_edited_passage_marks_the_exact_shared_words(desktop, seed_report):
    page, problems = desktop
    page.goto(seed_report.as_uri() + "#pair-5")  # 000 vs 001: a fuzzy passage
    words_a = page.locator("#pair-5 .full .side-a mark.fuzzy .w").all_inner_texts()
    words_b = page.locator("#pair-5 .full .side-b mark.fuzzy .w").all_inner_texts()
    assert words_a == ["to bomb the", "Free Iran” gathering in Paris"]
    assert words_b == ["to bomb the", "Free Iran gathering in Paris"]
    assert not problems


def rows(page: Page, attr: str) -> list[str]:
    return page.eval_on_selector_all("#pairlist tbody tr:not([hidden])", f"rs => rs.map(r => r.dataset.{attr})")


def test_sort_and_filter_the_pair_list(desktop, seed_report, shots):
    page, problems = desktop
    page.goto(seed_report.as_uri())
    page.screenshot(path=shots / "overview.png")
    count = page.locator("#f-count")
    expect(count).to_have_text("10 of 10 pairs")
    page.locator("th[data-key=covb] button").click()
    covb = [float(x) for x in rows(page, "covb")]
    assert covb == sorted(covb, reverse=True) and covb != [float(x) for x in rows(page, "rank")]
    expect(page.locator("th[data-key=covb]")).to_have_attribute("aria-sort", "descending")
    page.locator("th[data-key=covb] button").click()
    assert [float(x) for x in rows(page, "covb")] == sorted(covb)
    page.locator("th[data-key=b] button").click()
    names = rows(page, "b")
    assert names == sorted(names)
    page.locator("th[data-key=rank] button").click()
    assert rows(page, "rank") == [str(k) for k in range(1, 11)]

    page.select_option("#f-kind", "verbatim")
    expect(count).to_have_text("3 of 10 pairs")
    assert all("verbatim" in k.split() for k in rows(page, "kinds"))
    page.fill("#f-min", "0.03")
    expect(count).to_have_text("2 of 10 pairs")
    page.select_option("#f-kind", "none")
    page.fill("#f-min", "0")
    expect(count).to_have_text("4 of 10 pairs")
    page.select_option("#f-kind", "")
    page.fill("#f-q", "004_4a5f")
    expect(count).to_have_text("4 of 10 pairs")
    assert all("004_4a5f" in a + b for a, b in zip(rows(page, "a"), rows(page, "b")))
    page.fill("#f-q", "")
    page.select_option("#f-src", "001_3182de4ee06caf7f.txt")
    expect(count).to_have_text("4 of 10 pairs")
    page.locator("#pairlist tbody tr:not([hidden]) a").first.click()  # opens the side-by-side view
    expect(page.locator(".pairview:target")).to_be_visible()
    assert not problems


def test_a_hostile_document_runs_nothing(desktop, tmp_path):
    page, problems = desktop
    path = tmp_path / "report.html"
    report_html.write_html(hostile_results(), path)
    page.goto(path.as_uri())
    page.locator("#pairlist tbody a").first.click()
    side_a = page.locator(".pairview:target .full .side-a")
    expect(side_a).to_contain_text("<script>alert('text')</script> <img src=x onerror=alert('img')> </textarea>")
    expect(side_a).to_contain_text("{{ 7*7 }} &amp; &lt;b&gt;")
    expect(side_a.locator("header")).to_contain_text("<b onmouseover=alert('title')>bold</b>")
    side_a.locator("header").hover()
    page.keyboard.press("j")
    page.keyboard.press("t")
    page.goto(path.as_uri() + "#skipped")
    expect(page.locator("#skipped")).to_contain_text("<script>alert('skip')</script>.txt")
    page.wait_for_timeout(200)
    assert page.locator("script").count() == 1 and page.locator("img, svg[onload], textarea").count() == 0
    assert not problems, problems


def test_talking_point_shows_every_source(desktop, talking_report, shots):
    page, problems = desktop
    page.goto(talking_report.as_uri())
    page.locator("#talking-points a[href='#tp-1']").click()
    view = page.locator("#tp-1")
    expect(view).to_be_visible()
    expect(page.locator("#home")).to_be_hidden()
    members = view.locator("article.member")
    assert members.count() >= 3
    sources = members.locator("header b").all_inner_texts()
    assert len(set(sources)) >= 3
    for k in range(members.count()):
        expect(members.nth(k).locator(".t").first).to_be_visible()
        expect(members.nth(k).locator(".said")).to_contain_text("National Council of Resistance of Iran")
    page.screenshot(path=shots / "talking-point.png")
    assert not problems


def no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


def test_phone_width_does_not_overflow(phone, talking_report, shots):
    page, problems = phone
    page.goto(talking_report.as_uri())
    no_horizontal_overflow(page)
    page.screenshot(path=shots / "phone-overview.png")
    page.goto(talking_report.as_uri() + "#pair-1")
    expect(page.locator("#pair-1")).to_be_visible()
    no_horizontal_overflow(page)
    page.screenshot(path=shots / "phone-pair.png")
    box_a = page.locator("#pair-1 .full .side-a").bounding_box()
    box_b = page.locator("#pair-1 .full .side-b").bounding_box()
    assert box_b["y"] >= box_a["y"] + box_a["height"] - 1  # columns stack
    page.goto(talking_report.as_uri() + "#tp-1")
    no_horizontal_overflow(page)
    assert not problems


def test_paged_report_pages_work_alone(desktop, tmp_path, monkeypatch):
    page, problems = desktop
    monkeypatch.setattr(report_html, "SINGLE_FILE_MAX_PAIRS", 2)
    report_html.write_html(seed_results(), tmp_path / "report.html")
    page.goto((tmp_path / "report.html").as_uri())
    page.locator("#pairlist tbody a").first.click()
    expect(page).to_have_url((tmp_path / "report_pages" / "pair-1.html").as_uri())
    expect(page.locator(".pairview.solo .pos")).to_have_text("passage 1 of 2 · fuzzy")
    page.keyboard.press("j")
    expect(page.locator(".pairview.solo .pos")).to_have_text("passage 2 of 2 · verbatim")
    page.locator("a[rel=next]").click()
    expect(page).to_have_url((tmp_path / "report_pages" / "pair-2.html").as_uri())
    page.locator("a", has_text="All pairs").first.click()
    expect(page.locator("#pairs")).to_be_visible()
    assert not problems


README_PICTURES = ("overview.png", "pair.png", "context.png", "talking-point.png", "phone-overview.png", "phone-pair.png")


def test_readme_pictures(browser, make_report, readme_shots):
    """The README's pictures, of the report `make report` writes: overview, the best pair, its passages in
    context, the most widespread talking point, and both on a phone. Each view must show what it names."""
    page, problems = open_page(browser, DESKTOP)
    page.goto(make_report.as_uri())
    expect(page.locator("#overview")).to_be_visible()
    page.screenshot(path=readme_shots / "overview.png")
    page.goto(make_report.as_uri() + "#pair-1")
    expect(page.locator("#pair-1 .why")).to_contain_text("Score")
    page.screenshot(path=readme_shots / "pair.png")
    page.keyboard.press("t")
    expect(page.locator("#pair-1 .prow").first).to_be_visible()
    page.keyboard.press("j")
    page.screenshot(path=readme_shots / "context.png")
    page.goto(make_report.as_uri() + "#tp-1")
    expect(page.locator("#tp-1 article.member").first).to_be_visible()
    page.screenshot(path=readme_shots / "talking-point.png")
    page.context.close()
    phone, more = open_page(browser, PHONE)
    phone.goto(make_report.as_uri())
    no_horizontal_overflow(phone)
    phone.screenshot(path=readme_shots / "phone-overview.png")
    phone.goto(make_report.as_uri() + "#pair-1")
    no_horizontal_overflow(phone)
    phone.screenshot(path=readme_shots / "phone-pair.png")
    phone.context.close()
    assert not problems and not more, problems + more
    for name in README_PICTURES:
        data = (readme_shots / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name
