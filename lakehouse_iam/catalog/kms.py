"""AWS KMS actions S3 needs for SSE-KMS objects.

S3 calls KMS on the caller's behalf: ``kms:Decrypt`` to read an object,
``kms:GenerateDataKey`` to write one, and ``kms:Decrypt`` again to complete a
multipart upload (S3 decrypts the data key to assemble the parts):
https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
"""

from __future__ import annotations

READ: tuple[str, ...] = ("kms:Decrypt",)
WRITE: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
