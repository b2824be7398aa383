"""The zip-bomb test shared by every reader of zipped uploads (XLSX, DOCX, ODT).

Pure standard library: the document extractor imports it inside its Django-free child
process. A member larger than `exempt` bytes that unpacks to more than `max_ratio` times its
compressed size is a bomb; real office XML compresses 5–30 times.
"""

import zipfile


def too_inflated(info: zipfile.ZipInfo, max_ratio: int, exempt: int = 1024 * 1024) -> bool:
    return info.file_size > exempt and info.file_size > max_ratio * max(info.compress_size, 1)
