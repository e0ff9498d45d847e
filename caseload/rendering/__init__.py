"""Rendering helpers below every feature: PDFs from HTML (WeasyPrint, static files only) and
server-rendered SVG charts. Features call them; they import no feature."""
