"""Bulk exchange: the CSV bundle of ../shared/spec/exchange-format.md, in and out."""
