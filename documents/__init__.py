"""Documents uploaded through the API: checked, stored safely beside the corpus and indexed."""
