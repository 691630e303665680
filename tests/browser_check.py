"""Open every page of the built book in headless Chromium, offline, and fail on what a reader would notice.

    python tests/browser_check.py [_build/html] [--chromium /usr/bin/chromium]

Serves the built site on 127.0.0.1 (a port the system picks) and visits every HTML page with Debian's chromium,
driven by Playwright (pip install -e ".[browser]"; Playwright's own browser download is not used). Every request
that leaves 127.0.0.1 is blocked and reported, so a page passes only if it works with the network off. A page fails
on: a console error or an uncaught exception; a failed request or an HTTP error; a request to another host; an
internal link to a missing page or a missing #anchor; an image that did not load; math left unrendered (a math
element of the source without MathJax output); a missing <title> or <h1>. Screenshots of the intro and of one
chapter are saved in _build/screenshots/. Exit status 0 when every page passes, 1 otherwise.
"""

import argparse
import functools
import http.server
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
SCREENSHOTS = {"intro": "book/intro.html", "chapter-06-backward": "book/06_backward.html"}
SKIPPED_FOLDERS = {"_static", "_sources", "_images", "jupyter_execute", "_sphinx_design_static", "screenshots"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    """Serve `root` on 127.0.0.1 in a background thread; returns (server, base URL)."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def site_pages(root):
    """Every HTML page of the site, as paths relative to root."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not SKIPPED_FOLDERS & set(p.relative_to(root).parts[:-1]))


@functools.lru_cache(maxsize=None)
def anchors_of(path):
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r'\b(?:id|name)="([^"]+)"', text))


def check_link(root, base, page_url, href):
    """A problem with an internal link, or None. External links are not followed (offline)."""
    target = urljoin(page_url, href)
    if not target.startswith(base):
        return None
    url, fragment = urldefrag(target)
    path = root / unquote(urlparse(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return f"broken link {href!r}: {path.relative_to(root) if root in path.parents else path} does not exist"
    if fragment and path.suffix == ".html" and unquote(fragment) not in anchors_of(str(path)):
        return f"broken link {href!r}: no #{fragment} in {path.relative_to(root)}"
    return None


def check_page(context, root, base, relative, screenshot_dir):
    problems, blocked = [], []
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    page.on("requestfailed", lambda r: None if r.url in blocked else
            problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def block_other_hosts(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            blocked.append(route.request.url)
            problems.append(f"request to another host (the page needs the network): {route.request.url}")
            route.abort()

    page.route("**/*", block_other_hosts)
    page.goto(urljoin(base, relative), wait_until="load")
    page.wait_for_load_state("networkidle")
    url = page.url  # after redirects (the site's index.html forwards to the intro)
    math_count = page.locator(".math").count()
    if math_count:
        try:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=15000)
            page.evaluate("() => MathJax.startup.promise")
        except Exception as err:  # noqa: BLE001 - reported as a problem of the page
            problems.append(f"MathJax did not start: {err}")
        unrendered = page.evaluate(
            "() => Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length")
        if unrendered:
            problems.append(f"{unrendered} of {math_count} math elements left unrendered")
    if not page.title().strip():
        problems.append("the page has no <title>")
    if page.locator("h1").count() == 0 and not relative.endswith(("search.html", "genindex.html", "index.html")):
        problems.append("the page has no <h1>")
    broken_images = page.evaluate(
        "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    problems.extend(f"image did not load: {src}" for src in broken_images)
    for href in page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"):
        if href and not href.startswith(("mailto:", "javascript:")):
            problem = check_link(root, base, url, href)
            if problem:
                problems.append(problem)
    for name, path in SCREENSHOTS.items():
        if relative == path:
            page.screenshot(path=str(screenshot_dir / f"{name}.png"))
    page.close()
    return math_count, sorted(set(problems))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default="_build/html")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    root = Path(args.site).resolve()
    if not (root / "index.html").is_file():
        sys.exit(f"{root} has no index.html: build the book first")
    from playwright.sync_api import sync_playwright

    screenshot_dir = root.parent / "screenshots"
    screenshot_dir.mkdir(exist_ok=True)
    server, base = serve(root)
    pages, failures, start = site_pages(root), 0, time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        for relative in pages:
            math_count, problems = check_page(context, root, base, relative, screenshot_dir)
            status = "ok" if not problems else "FAIL"
            print(f"{status:4s} {relative}" + (f"  ({math_count} math)" if math_count else ""))
            for problem in problems:
                print(f"       {problem}")
            failures += bool(problems)
        browser.close()
    server.shutdown()
    print(f"{len(pages) - failures} passed, {failures} failed: {len(pages)} pages in "
          f"{time.perf_counter() - start:.0f} s; screenshots in {screenshot_dir}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
