"""The shared core: what every app may use and that knows no app (widgets, paging, PDFs, refusals, keys)."""
