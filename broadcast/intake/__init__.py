"""Documents in: a .docx, a PDF (text or scanned) or a photo of a page becomes proposed news
items. read → lines with their pages; sections by the document's own headings, its frame
(national heading, recitals, recipients, signatures) left out; each section a proposal in
spoken prose with a guessed topic. Pure functions but for the readers, which run ffmpeg-like
external programs (ocrmypdf) through broadcast.proc."""

from broadcast.intake.records import Document, Line, Proposal, Section

__all__ = ["Document", "Line", "Proposal", "Section"]
