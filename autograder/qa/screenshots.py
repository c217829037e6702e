"""One screenshot per reference notebook, of a figure as a reader sees it rendered.

    python -m autograder.qa.screenshots [ASSIGNMENT ...]

Each executed notebook in ``notebooks/`` is rendered to HTML by nbconvert (JupyterLab's
template) and opened in chromium through Playwright; the code cell named in ``FIGURES`` is
captured with its output into ``docs/screenshots/<assignment>.png``. The pictures are what the
figures were checked against by eye: colour-blind-safe scatters, labels that do not overlap,
ticks on latent grids, legends that match titles, units on loss axes.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from autograder import notebooks, settings

# assignment -> text of the code cell whose figure stands for the notebook
FIGURES = {
    "01_wine_basics": 'title="DBSCAN clusters of the codes"',
    "02_depth_study": "plot_latent_panels(",
    "03_latent_size": "plot_metric_curves(",
    "04_vae": 'title="Test digits: a plain autoencoder',
    "05_bottleneck": "plot_metric_bars(accuracies",
    "06_vae_search": "plot_score_vs_depth(",
}
DESTINATION = settings.ROOT / "docs" / "screenshots"


def render(notebook, folder):
    """Write ``notebook`` as nbconvert's HTML into ``folder``; return the page's path."""
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter(template_name="lab").from_filename(str(notebook))
    page = Path(folder) / f"{notebook.stem}.html"
    page.write_text(html, encoding="utf-8")
    return page


def capture(names, destination=DESTINATION):
    """Screenshot each notebook's figure cell; return the pictures' paths."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("chromium is missing: apt-get install chromium")
    destination.mkdir(parents=True, exist_ok=True)
    pictures = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for name in names:
            page.goto(render(settings.REFERENCE / f"{name}.ipynb", folder).as_uri())
            cell = page.locator(".jp-CodeCell", has_text=FIGURES[name]).first
            cell.scroll_into_view_if_needed()
            picture = destination / f"{name}.png"
            cell.screenshot(path=str(picture))
            pictures.append(picture)
        browser.close()
    return pictures


def main(argv=None):
    for picture in capture(notebooks.assignments(argv or sys.argv[1:] or None)):
        print(picture.relative_to(settings.ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
