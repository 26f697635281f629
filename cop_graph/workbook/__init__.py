"""Coordinators' workbooks: the template, safe reading, rows to RDF, problems, export.

A coordinator keeps their community's record in a spreadsheet. These modules turn such a
workbook (XLSX, a folder of CSV files, or a zip of them) into RDF that the loader can check
and save, and report every mistake by sheet, row and column in plain English.
"""
