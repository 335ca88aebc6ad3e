# TEMPORARY dev harness (deleted before hand-off): reuse the dev index in ./data.
import pytest

from tests.browser import test_chat
from tests.browser.test_chat import *  # noqa

test_chat.TRUCK = "What basic needs should I attend to immediately when I first encounter a potential child trafficking victim?"
test_chat.FOLLOW_UP = "And who should interview the child?"


@pytest.fixture(scope="module")
def full_settings():
    from tests.conftest import make_settings, ROOT
    return make_settings(ROOT / "data")
