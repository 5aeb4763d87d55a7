"""The 公文 format (GB/T 9704-2012) every document duban writes is in: the Word writer
(writer.py), table widths from their content (fit.py), and PDFs through LibreOffice with the
project's fontconfig file (pdf.py). Bulletins, meeting minutes and compensation sheets use it."""
