"""A Word document to PDF with LibreOffice headless: the one conversion every document uses
(bulletins and roll-ups, meeting minutes, compensation sheets). Callers add their own checks
(the bulletins' fonts) and environment (the project's fontconfig file)."""

import shutil
import subprocess
import tempfile
from pathlib import Path


def docx_to_pdf(docx_bytes, *, timeout, env=None):
    """(PDF bytes, None), or (None, "missing") when soffice is not installed, or (None, "failed")
    when it could not convert (e.g. installed without Writer, or past `timeout` seconds)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None, "missing"
    with tempfile.TemporaryDirectory(prefix="duban-doc-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx_bytes)
        profile = Path(tmp) / "profile"  # a profile of its own: parallel conversions do not lock each other out
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, env=env)
        except (OSError, subprocess.TimeoutExpired):
            return None, "failed"
        target = Path(tmp) / "document.pdf"
        if not target.exists():
            return None, "failed"
        return target.read_bytes(), None
