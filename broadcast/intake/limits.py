"""Caps that keep an import bounded in size, memory and time, whatever the file."""

MAX_BYTES = 50 * 1024 * 1024          # the file as uploaded
MAX_PAGES = 100                       # a text document
MAX_SCAN_PAGES = 40                   # a scan: OCR takes seconds a page
MAX_UNZIPPED = 80 * 1024 * 1024       # a .docx, all its parts unpacked (a zip bomb is refused)
MAX_PARTS = 4000
MAX_IMAGE_PIXELS = 60_000_000         # a photo or a rendered page (a 40 MP phone photo is 40 M)
OCR_SECONDS_PER_PAGE = 90             # a page tesseract has not read by then is given up
