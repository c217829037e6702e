"""What the browser tests share: Debian's chromium, numbered screenshots, JupyterLab gestures."""

import os
import shutil

import pytest

from autograder import settings

SCREENSHOTS = settings.ROOT / "build" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
VIEWPORT = {"width": 1280, "height": 860}


def chromium():
    """Return the system chromium, or skip (fail under CI) with how to install it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = ("chromium is not installed: the browser tests drive Debian's chromium "
               "(sudo apt-get install chromium; .ci/run installs it)")
    if os.environ.get("AECOURSE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


class Steps:
    """Numbered screenshots of one test under build/browser/<test>/."""

    def __init__(self, page, name):
        self.page, self.folder, self.count = page, SCREENSHOTS / name, 0
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def shot(self, label):
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{label}.png"))


def from_menu(page, menu, command):
    """Click a main-menu entry: ``menu`` is the menu's label, ``command`` the entry's command id."""
    page.locator(f'#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("{menu}")').click()
    page.locator(f'.lm-Menu li[data-command="{command}"]').click()


def cell(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def type_into(page, index, code):
    """Replace the source of code cell ``index`` as a student would, by selecting and typing."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def source_index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
