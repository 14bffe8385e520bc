"""XXH3-64 (seed 0, default secret) of many short byte strings at once, bit-identical to ``xxhash``.

Why here: ``reuse.text.token_hash`` is ``xxhash.xxh3_64_intdigest(norm.encode())``, one Python call
per token. At a million articles that is 600 million calls, so the batch path hashes tokens in
numpy (lengths 1-16, which is nearly every word) or in a numba kernel (lengths 1-128). Both give
exactly the same 64-bit values as ``xxhash``: the test suite compares them on random strings of
every length class. Longer inputs are left to the caller (``xxhash`` per token: they are rare).
"""
from __future__ import annotations

import numpy as np

from reuse.jit import ENABLED as NUMBA

SECRET = bytes.fromhex(
    "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
    "cb79e64ecc c0e578825ad07dccff7221b8084674f743248ee03590e6813a264c".replace(" ", "")
    + "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8"
    "a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364"
    "eac5ac8334d3ebc3c581a0fffa1363eb"
)
"""The first 144 bytes of XXH3's default ``kSecret`` (inputs up to 128 bytes read no further)."""

PRIME32_1 = 0x9E3779B1
PRIME32_2 = 0x85EBCA77
PRIME32_3 = 0xC2B2AE3D
PRIME64_1 = 0x9E3779B185EBCA87
PRIME64_2 = 0xC2B2AE3D27D4EB4F
PRIME64_3 = 0x165667B19E3779F9
PRIME_MX1 = 0x165667919E3779F9
PRIME_MX2 = 0x9FB21C651E98DF25
M64 = (1 << 64) - 1


def _le(offset: int, width: int) -> int:
    return int.from_bytes(SECRET[offset : offset + width], "little")


SECRET_WORDS = np.frombuffer(SECRET[:144], dtype="<u8").astype(np.uint64)
"""The secret as little-endian 64-bit words at 8-byte steps (offset ``8*i``)."""

# Constants of the short paths (seed 0).
BITFLIP_1TO3 = (_le(0, 4) ^ _le(4, 4)) & M64
BITFLIP_4TO8 = (_le(8, 8) ^ _le(16, 8)) & M64
BITFLIP_9TO16_LO = (_le(24, 8) ^ _le(32, 8)) & M64
BITFLIP_9TO16_HI = (_le(40, 8) ^ _le(48, 8)) & M64

_U = np.uint64


def _mul128_fold64(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Low 64 bits XOR high 64 bits of the 128-bit product, from 32-bit halves (numpy has no u128)."""
    m32 = _U(0xFFFFFFFF)
    a_lo, a_hi = a & m32, a >> _U(32)
    b_lo, b_hi = b & m32, b >> _U(32)
    lo_lo = a_lo * b_lo
    hi_lo = a_hi * b_lo
    lo_hi = a_lo * b_hi
    hi_hi = a_hi * b_hi
    cross = (lo_lo >> _U(32)) + (hi_lo & m32) + lo_hi
    upper = (hi_lo >> _U(32)) + (cross >> _U(32)) + hi_hi
    lower = (cross << _U(32)) | (lo_lo & m32)
    return lower ^ upper


def _xxh64_avalanche(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _U(33))
    h = h * _U(PRIME64_2)
    h = h ^ (h >> _U(29))
    h = h * _U(PRIME64_3)
    return h ^ (h >> _U(32))


def _xxh3_avalanche(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _U(37))
    h = h * _U(PRIME_MX1)
    return h ^ (h >> _U(32))


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << _U(r)) | (x >> _U(64 - r))


def _bswap64(x: np.ndarray) -> np.ndarray:
    return x.byteswap()


def _read(buf: np.ndarray, pos: np.ndarray, width: int) -> np.ndarray:
    """Little-endian unsigned reads of ``width`` bytes at each position of ``buf`` (uint8)."""
    out = np.zeros(len(pos), dtype=np.uint64)
    for k in range(width):
        out |= buf[pos + k].astype(np.uint64) << _U(8 * k)
    return out


def xxh3_short(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """XXH3-64 of ``buf[starts[i] : starts[i] + lengths[i]]`` for lengths 1..16 (numpy, vectorised).

    ``buf`` must be padded so that reads up to 8 bytes past any start stay in bounds.
    """
    out = np.zeros(len(starts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        m = (lengths >= 1) & (lengths <= 3)
        if m.any():
            s, n = starts[m], lengths[m].astype(np.uint64)
            c1 = buf[s].astype(np.uint64)
            c2 = buf[s + (lengths[m] >> 1)].astype(np.uint64)
            c3 = buf[s + lengths[m] - 1].astype(np.uint64)
            combined = (c1 << _U(16)) | (c2 << _U(24)) | c3 | (n << _U(8))
            out[m] = _xxh64_avalanche(combined ^ _U(BITFLIP_1TO3))
        m = (lengths >= 4) & (lengths <= 8)
        if m.any():
            s, n = starts[m], lengths[m].astype(np.uint64)
            in1 = _read(buf, s, 4)
            in2 = _read(buf, s + lengths[m] - 4, 4)
            h = (in2 + (in1 << _U(32))) ^ _U(BITFLIP_4TO8)
            h = h ^ _rotl(h, 49) ^ _rotl(h, 24)
            h = h * _U(PRIME_MX2)
            h = h ^ ((h >> _U(35)) + n)
            h = h * _U(PRIME_MX2)
            out[m] = h ^ (h >> _U(28))
        m = (lengths >= 9) & (lengths <= 16)
        if m.any():
            s, n = starts[m], lengths[m].astype(np.uint64)
            lo = _read(buf, s, 8) ^ _U(BITFLIP_9TO16_LO)
            hi = _read(buf, s + lengths[m] - 8, 8) ^ _U(BITFLIP_9TO16_HI)
            acc = n + _bswap64(lo) + hi + _mul128_fold64(lo, hi)
            out[m] = _xxh3_avalanche(acc)
    return out


HAVE_NUMBA = NUMBA


def _define_kernels():  # noqa: ANN202 - returns compiled functions
    """Compile the scalar XXH3 used inside the tokenising kernel (only when numba is present)."""
    import numba as nb
    u64 = np.uint64
    sw = SECRET_WORDS.copy()
    sec_bytes = np.frombuffer(SECRET, dtype=np.uint8).copy()

    @nb.njit(inline="always", cache=True)
    def mul128_fold64(a, b):
        m32 = u64(0xFFFFFFFF)
        a_lo = a & m32
        a_hi = a >> u64(32)
        b_lo = b & m32
        b_hi = b >> u64(32)
        lo_lo = a_lo * b_lo
        hi_lo = a_hi * b_lo
        lo_hi = a_lo * b_hi
        hi_hi = a_hi * b_hi
        cross = (lo_lo >> u64(32)) + (hi_lo & m32) + lo_hi
        upper = (hi_lo >> u64(32)) + (cross >> u64(32)) + hi_hi
        lower = (cross << u64(32)) | (lo_lo & m32)
        return lower ^ upper

    @nb.njit(inline="always", cache=True)
    def read_le(buf, pos, width):
        out = u64(0)
        for k in range(width):
            out |= u64(buf[pos + k]) << u64(8 * k)
        return out

    @nb.njit(inline="always", cache=True)
    def secret_le64(off):
        out = u64(0)
        for k in range(8):
            out |= u64(sec_bytes[off + k]) << u64(8 * k)
        return out

    @nb.njit(inline="always", cache=True)
    def avalanche3(h):
        h ^= h >> u64(37)
        h *= u64(PRIME_MX1)
        return h ^ (h >> u64(32))

    @nb.njit(cache=True)
    def xxh3(buf, s, n):
        """XXH3-64 of ``buf[s:s+n]``, 1 <= n <= 128."""
        nn = u64(n)
        if n <= 3:
            c1 = u64(buf[s])
            c2 = u64(buf[s + (n >> 1)])
            c3 = u64(buf[s + n - 1])
            h = ((c1 << u64(16)) | (c2 << u64(24)) | c3 | (nn << u64(8))) ^ u64(BITFLIP_1TO3)
            h ^= h >> u64(33)
            h *= u64(PRIME64_2)
            h ^= h >> u64(29)
            h *= u64(PRIME64_3)
            return h ^ (h >> u64(32))
        if n <= 8:
            in1 = read_le(buf, s, 4)
            in2 = read_le(buf, s + n - 4, 4)
            h = (in2 + (in1 << u64(32))) ^ u64(BITFLIP_4TO8)
            h = h ^ ((h << u64(49)) | (h >> u64(15))) ^ ((h << u64(24)) | (h >> u64(40)))
            h *= u64(PRIME_MX2)
            h ^= (h >> u64(35)) + nn
            h *= u64(PRIME_MX2)
            return h ^ (h >> u64(28))
        if n <= 16:
            lo = read_le(buf, s, 8) ^ u64(BITFLIP_9TO16_LO)
            hi = read_le(buf, s + n - 8, 8) ^ u64(BITFLIP_9TO16_HI)
            sw_lo = u64(0)
            for k in range(8):
                sw_lo |= ((lo >> u64(8 * k)) & u64(0xFF)) << u64(56 - 8 * k)
            return avalanche3(nn + sw_lo + hi + mul128_fold64(lo, hi))
        acc = nn * u64(PRIME64_1)
        # pairs of 16-byte lanes from the front and the back, as XXH3_len_17to128_64b
        rounds = (n - 1) // 32  # 0..3
        for r in range(rounds, -1, -1):
            front = s + 16 * r
            back = s + n - 16 * (r + 1)
            so = 32 * r
            acc += mul128_fold64(read_le(buf, front, 8) ^ secret_le64(so), read_le(buf, front + 8, 8) ^ secret_le64(so + 8))
            acc += mul128_fold64(read_le(buf, back, 8) ^ secret_le64(so + 16), read_le(buf, back + 8, 8) ^ secret_le64(so + 24))
        return avalanche3(acc)

    del sw
    return xxh3


xxh3_scalar = _define_kernels() if HAVE_NUMBA else None
"""``xxh3_scalar(buf, start, n)`` compiled with numba (None without numba); 1 <= n <= 128."""
