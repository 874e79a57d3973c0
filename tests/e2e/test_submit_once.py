"""A form is sent once: the second submit while the first is on its way is cancelled (static/js/forms.js),
so a double click never posts two vouchers."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.e2e.test_report_journey import log_in

pytestmark = pytest.mark.e2e

TWICE = """() => {
  const seen = [];
  // registered after forms.js: sees whether it cancelled the event, then keeps the page where it is
  document.addEventListener("submit", (event) => {
    seen.push(event.defaultPrevented);
    event.preventDefault();
  });
  const form = document.querySelector("#entry-form");
  form.requestSubmit();
  form.requestSubmit();
  return seen;
}"""


def test_the_second_submit_of_a_form_is_cancelled(page: Page, url, union_a, treasurer):
    from finance.ledgers import official_ledger

    book = official_ledger(union_a)
    log_in(page, url, "treasurer")
    page.goto(url(reverse("finance:entry_create", args=[union_a.pk, book.pk])))
    assert page.evaluate(TWICE) == [False, True]
    assert page.locator("#post-entry").get_attribute("aria-disabled") == "true"
