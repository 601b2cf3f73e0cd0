/* A stand-in for Windows' bcryptprimitives.dll, for running the Windows build under Wine 8
 * (Debian 12), which lacks that library. Rust's standard library (1.78 and later) takes its
 * random keys from ProcessPrng there; Windows 10 and later have it. Used only by .ci/run. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
