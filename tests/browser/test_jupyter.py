"""The reader notebooks in real front ends: JupyterLab 4 and Notebook 7, driven through their UI.

A real server (localhost, a random token) runs on a temporary copy of the notebooks with this
venv's kernel. Every cell is run from the Run menu; then every slider of every widget is moved
by mouse and by keyboard (arrows, Home, End) and every radio group by arrows, and each time the
widget's ``data-loss`` must change and the kernel's ``loss`` must agree with it. Traits set in
the kernel must move the view too. Every self-check question is answered wrong and right, by
keyboard and by mouse (tests/browser/question_driver.py). Any console error from the widgets fails the test; the front
ends' own start-up noise (Notebook 7 logs some) is told apart by its source.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient
from question_driver import QUESTION, a_wrong_answer, answer, reveal_answer, wait_for_check

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "jupyter"
BIN = Path(sys.executable).parent
REL_TOL = 1e-12
# Chapters that display a widget, found from their sources so a new widget chapter is covered.
WIDGET_CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.md")
                         if "from lossbook.widgets import" in p.read_text(encoding="utf-8"))
NOTEBOOK7_CHAPTERS = WIDGET_CHAPTERS[:1]
# Where a console message must come from to be the widgets' (anything else is the front end's).
WIDGET_SOURCES = ("blob:", "anywidget", "lossbook", "jupyter-widgets", "widget")
# What the kernel sets on each widget to check that the view follows (trait -> value).
KERNEL_SETS = {"p": 0.123, "logits": [1.5, -0.5, 0.25], "temperature": 0.37}
# Settings of the test's own front-end profile: no news or update checks (they would leave
# localhost) and every cell kept in the page, so widgets below the fold can be found.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `jupyter lab` or `jupyter notebook` process on a copy of the notebooks."""

    def __init__(self, app: str, tmp: Path):
        self.folder, self.runtime, self.token = tmp / "notebooks", tmp / "runtime", secrets.token_hex(16)
        self.folder.mkdir()
        for chapter in WIDGET_CHAPTERS:
            shutil.copy(ROOT / "chapters" / f"{chapter}.ipynb", self.folder)
        settings = tmp / "settings"
        for name, values in SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        self.port = free_port()
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_DATA_DIR=str(tmp / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.runtime), IPYTHONDIR=str(tmp / "ipython"))
        self.log_path = tmp / "server.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(BIN / "jupyter"), app, "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={self.folder}", f"--LabServerApp.user_settings_dir={settings}",
             f"--LabServerApp.workspaces_dir={tmp / 'workspaces'}"]
            # No extension manager (it queries PyPI); root only where the tests run as root (CI).
            + (["--LabApp.extension_manager=readonly"] if app == "lab" else [])
            + (["--allow-root"] if os.geteuid() == 0 else []),
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                self.api("status")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"jupyter {app} did not start; see {tmp / 'server.log'}")
                time.sleep(0.5)

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def api(self, path: str):
        with urllib.request.urlopen(f"{self.url}/api/{path}?token={self.token}", timeout=5) as reply:
            return json.load(reply)

    def wait_for_idle_kernel(self, notebook: str) -> None:
        """Until the kernel the front end started for ``notebook`` is up and idle."""
        deadline = time.monotonic() + 60
        while not any(s["path"].endswith(notebook) and s["kernel"]["execution_state"] == "idle"
                      for s in self.api("sessions")):
            assert time.monotonic() < deadline, f"no idle kernel for {notebook}: {self.api('sessions')}"
            time.sleep(0.5)

    def shut_down(self, notebook: str) -> None:
        """End the sessions (and kernels) of ``notebook``, so the next test starts on a quiet server."""
        for session in self.api("sessions"):
            if session["path"].endswith(notebook):
                request = urllib.request.Request(
                    f"{self.url}/api/sessions/{session['id']}?token={self.token}", method="DELETE")
                urllib.request.urlopen(request, timeout=30).close()

    def kernel(self, notebook: str) -> BlockingKernelClient:
        """A second client of the kernel the front end started for ``notebook``."""
        session = next(s for s in self.api("sessions") if s["path"].endswith(notebook))
        client = BlockingKernelClient(connection_file=str(self.runtime / f"kernel-{session['kernel']['id']}.json"))
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=30)
        return client

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def lab(tmp_path_factory) -> Iterator[Server]:
    # A server per notebook: on one long-lived server the fifth notebook's Run All never started.
    server = Server("lab", tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory) -> Iterator[Server]:
    server = Server("notebook", tmp_path_factory.mktemp("notebook7"))
    yield server
    server.stop()


def run_in_kernel(client: BlockingKernelClient, code: str) -> str:
    """Run ``code`` in the kernel and return what it printed."""
    printed: list[str] = []

    def collect(message) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))

    reply = client.execute_interactive(code, output_hook=collect, timeout=60)
    assert reply["content"]["status"] == "ok", "".join(printed)
    return "".join(printed)


KERNEL_LOSSES = """
import json
from ipywidgets.widgets.widget import _instances
print(json.dumps({k: [type(w).__name__, w.loss] for k, w in _instances.items()
                  if type(w).__module__.startswith("lossbook.") and hasattr(w, "loss")}))
"""


def kernel_losses(client) -> dict[str, list[float]]:
    """Losses of the kernel's lossbook widgets, by widget class name."""
    by_class: dict[str, list[float]] = {}
    for name, loss in json.loads(run_in_kernel(client, KERNEL_LOSSES)).values():
        by_class.setdefault(name, []).append(math.inf if loss is None else loss)
    return by_class


def widget_losses(client, root) -> list[float]:
    """The kernel's losses for widgets of the kind ``root`` shows (root class lossbook-confidence
    matches ConfidenceSlider, lossbook-softmax SoftmaxExplorer, …)."""
    kind = next(c.removeprefix("lossbook-") for c in root.get_attribute("class").split()
                if c.startswith("lossbook-") and c != "lossbook-widget")
    return [loss for name, losses in kernel_losses(client).items()
            if kind.replace("-", "") in name.lower() for loss in losses]


def assert_kernel_agrees(client, root, what: str) -> None:
    shown = float(root.get_attribute("data-loss"))
    deadline = time.monotonic() + 10
    while True:
        losses = widget_losses(client, root)
        if any(math.isclose(shown, loss, rel_tol=REL_TOL) for loss in losses):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: page shows loss {shown!r}, kernel has {losses}")
        time.sleep(0.2)


def watch_widget_errors(page) -> list[str]:
    """Console errors and page errors whose source is the widgets; the front end's own are ignored."""
    problems: list[str] = []

    def on_console(message) -> None:
        source = message.location.get("url", "") if message.location else ""
        if message.type == "error" and any(s in source or s in message.text for s in WIDGET_SOURCES):
            problems.append(f"console error from {source}: {message.text}")

    def on_page_error(error) -> None:
        trace = f"{error}\n{getattr(error, 'stack', '') or ''}"
        if any(s in trace for s in WIDGET_SOURCES):
            problems.append(f"page error: {trace}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return problems


def front_end_kernel_status(page) -> str | None:
    """The kernel state the notebook's toolbar shows (JupyterLab's and Notebook 7's execution
    indicator), or None where the front end shows none."""
    indicator = page.locator(".jp-Notebook-ExecutionIndicator >> visible=true")
    return indicator.first.get_attribute("data-status") if indicator.count() else None


def wait_for_front_end_idle(page, server: Server, notebook: str) -> None:
    """Until the server and the page itself both see the kernel idle: the page learns of the kernel
    over its own websocket, later than the server does, and cells run before then may wait."""
    server.wait_for_idle_kernel(notebook)
    deadline = time.monotonic() + 60
    while front_end_kernel_status(page) not in (None, "idle"):
        assert time.monotonic() < deadline, f"the page shows the kernel {front_end_kernel_status(page)}"
        page.wait_for_timeout(250)


def click_run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def count_kernel_messages(page) -> dict[str, int]:
    """Count, as the page's websockets carry them, the execute requests it sends and the replies
    and outputs it receives: when cells stall, this tells a front end that never sent from a
    kernel that never answered."""
    counts: dict[str, int] = {}

    def tally(direction: str, payload) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        for kind in ("execute_request", "execute_reply", "execute_input", "comm_msg", "comm_open"):
            if f'"msg_type":"{kind}"' in text.replace(" ", ""):
                counts[f"{direction} {kind}"] = counts.get(f"{direction} {kind}", 0) + 1
        counts[f"{direction} frames"] = counts.get(f"{direction} frames", 0) + 1

    def on_socket(socket) -> None:
        socket.on("framesent", lambda payload: tally("sent", payload))
        socket.on("framereceived", lambda payload: tally("received", payload))
        socket.on("close", lambda _: counts.__setitem__("closed sockets", counts.get("closed sockets", 0) + 1))

    page.on("websocket", on_socket)
    return counts


def run_all_cells(page, server: Server, notebook: str, traffic: dict[str, int]) -> None:
    """Run All from the menu, until every code cell shows its execution count. If cells stall, the
    failure says what the server, the page and its websockets saw (under ipykernel 7.1 a kernel
    took every execute request and answered none while reporting idle; see requirements.txt)."""
    click_run_all(page)
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt >> visible=true")
    # The training chapter alone runs for tens of seconds; on a busy 2-core machine, minutes.
    deadline = time.monotonic() + 360
    while True:
        # A cell whose code is hidden (a self-check question) shows an empty prompt.
        texts = [t.strip() for t in prompts.all_inner_texts()]
        if any(texts) and all(re.fullmatch(r"\[\d+\]:", t) for t in texts if t):
            return
        if time.monotonic() > deadline:
            kernel = [s["kernel"]["execution_state"] for s in server.api("sessions") if s["path"].endswith(notebook)]
            raise AssertionError(
                f"cells did not finish: prompts {texts}; the server sees the kernel {kernel}, the page "
                f"{front_end_kernel_status(page)}; the page's websocket traffic {traffic}; server log ends:\n"
                f"{server.log_tail()}")
        page.wait_for_timeout(500)


def wait_for_change(root, before: str, what: str) -> str:
    deadline = time.monotonic() + 5
    while (now := root.get_attribute("data-loss")) == before:
        assert time.monotonic() < deadline, f"{what}: data-loss stayed {before}"
        time.sleep(0.05)
    return now


def exercise_widget(page, client, root, label: str) -> None:
    """Every slider by mouse and by keys, every radio by arrows; the kernel follows each move.

    A widget with a Step button (the training playground) shows the loss of its current weights,
    and a setting such as the learning rate changes only the next step: there every move is
    followed by a Step, pressed by keyboard, before the loss must change.
    """
    step = root.get_by_role("button", name="Step")
    has_step = step.count() > 0
    if has_step:  # leave the all-zero start, at which some settings do not change the loss
        for _ in range(3):
            step.press("Enter")
    for index, slider in enumerate(root.locator('input[type="range"]:enabled >> visible=true').all()):
        what = f"{label} slider {index}"
        assert slider.get_attribute("data-lm-suppress-shortcuts") is not None, what
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        before = root.get_attribute("data-loss")
        # Click well away from where the thumb is now, so the value surely changes.
        low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
        where = 0.25 if (float(slider.input_value()) - low) / (high - low) > 0.5 else 0.75
        page.mouse.click(box["x"] + where * box["width"], box["y"] + box["height"] / 2)
        if has_step:
            step.press("Enter")
        wait_for_change(root, before, f"{what} by mouse")
        assert_kernel_agrees(client, root, f"{what} by mouse")
        for key, expected in (("ArrowRight", None), ("ArrowLeft", None), ("End", "max"), ("Home", "min")):
            before, value = root.get_attribute("data-loss"), slider.input_value()
            slider.press(key)
            assert slider.evaluate("el => document.activeElement === el"), f"{what}: {key} moved focus away"
            if expected:
                assert float(slider.input_value()) == float(slider.get_attribute(expected)), f"{what}: {key}"
            assert slider.input_value() != value, f"{what}: {key} did not move the slider"
            if has_step:
                step.press("Enter")
                slider.focus()
            wait_for_change(root, before, f"{what} by {key}")
            assert_kernel_agrees(client, root, f"{what} by {key}")
        # Back inside the range: a slider left at an end can make the loss ignore the next one
        # (the focal loss is 0 for every p_t once alpha is 0). Not the middle: at p = 0.5 the
        # binary loss is ln 2 whatever the label.
        page.mouse.click(box["x"] + 0.3 * box["width"], box["y"] + box["height"] / 2)
    radios = root.locator('input[type="radio"]').all()
    if radios:
        what = f"{label} radio group"
        assert all(r.get_attribute("data-lm-suppress-shortcuts") is not None for r in radios), what
        # After Home on every slider the inputs may all be equal and the choice not matter to
        # the loss; End on the first makes them differ.
        sliders = root.locator('input[type="range"]').all()
        if sliders:
            sliders[0].press("End")
        checked = next(r for r in radios if r.is_checked())
        before = root.get_attribute("data-loss")
        checked.press("ArrowRight")
        assert not checked.is_checked(), f"{what}: ArrowRight did not pick the next class"
        wait_for_change(root, before, f"{what} by ArrowRight")
        assert_kernel_agrees(client, root, f"{what} by ArrowRight")


def check_kernel_moves_views(page, client, roots) -> None:
    """Set each widget's input traits in the kernel; every view must show the kernel's new loss."""
    code = "\n".join(f"for w in list(_instances.values()):\n    if type(w).__module__.startswith('lossbook.')"
                     f" and hasattr(w, {trait!r}): w.{trait} = {value!r}"
                     for trait, value in KERNEL_SETS.items())
    run_in_kernel(client, "from ipywidgets.widgets.widget import _instances\n" + code)
    for root in roots:
        wanted = widget_losses(client, root)
        deadline = time.monotonic() + 10
        while not any(math.isclose(float(root.get_attribute("data-loss")), w, rel_tol=REL_TOL) for w in wanted):
            assert time.monotonic() < deadline, f"view shows {root.get_attribute('data-loss')}, kernel set {wanted}"
            time.sleep(0.1)


def answer_question(question, what: str) -> None:
    """Show the answer by keyboard, then answer wrong by keyboard and right by mouse: no key may
    reach the notebook's shortcuts (a digit typed in command mode would turn the cell into a heading)."""
    question.scroll_into_view_if_needed()
    right = reveal_answer(question, "keyboard")
    answer(question, a_wrong_answer(question, right), "keyboard")
    wait_for_check(question, "wrong", f"{what} by keyboard")
    answer(question, right, "mouse")
    wait_for_check(question, "right", f"{what} by mouse")


def drive(browser, server: Server, url_path: str, chapter: str, shot: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch_widget_errors(page)
    traffic = count_kernel_messages(page)
    try:
        page.goto(f"{server.url}/{url_path}/{chapter}.ipynb?token={server.token}")
        page.locator(".jp-Notebook .jp-Cell >> visible=true").first.wait_for(timeout=60_000)
        page.wait_for_function("() => !document.querySelector('.jp-Dialog')", timeout=30_000)
        wait_for_front_end_idle(page, server, f"{chapter}.ipynb")
        run_all_cells(page, server, f"{chapter}.ipynb", traffic)
        shown_code = page.locator(".jp-CodeCell .jp-InputArea-editor >> visible=true", has_text="quiz.")
        assert shown_code.count() == 0, f"{chapter}: a question's code, with its answer, is on show"
        roots = page.locator(".lossbook-widget[data-loss] >> visible=true").all()
        questions = page.locator(f"{QUESTION} >> visible=true").all()
        assert roots or questions, f"{chapter}: no widget rendered after Run All"
        client = server.kernel(f"{chapter}.ipynb")
        try:
            for number, root in enumerate(roots):
                exercise_widget(page, client, root, f"{chapter} widget {number}")
            if roots:
                check_kernel_moves_views(page, client, roots)
        finally:
            client.stop_channels()
        for number, question in enumerate(questions):
            answer_question(question, f"{chapter} question {number}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (roots or questions)[0].scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"{shot}-{chapter}.png"))
        assert not problems, "\n".join(problems)
    finally:
        page.close()
        server.shut_down(f"{chapter}.ipynb")


@pytest.mark.parametrize("chapter", WIDGET_CHAPTERS)
def test_widgets_work_by_mouse_and_keyboard_in_jupyterlab(browser, lab, chapter):
    # A workspace per notebook, so the tab of the previous one is not restored beside it.
    drive(browser, lab, f"lab/workspaces/{chapter}/tree", chapter, "jupyterlab")


@pytest.mark.parametrize("chapter", NOTEBOOK7_CHAPTERS)
def test_widgets_work_by_mouse_and_keyboard_in_notebook7(browser, notebook7, chapter):
    drive(browser, notebook7, "notebooks", chapter, "notebook7")
