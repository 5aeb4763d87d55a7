"""The office's own Word templates (模板) of the documents duban writes: each zone's office may
download a document's template, edit it in Word or WPS, and upload it back; the default, made by
code in the 公文 format, is used where the office has none. The documents' apps register their
kinds (doctemplates/kinds.py) with the placeholders they fill."""
