#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_ftp_command into corpus/ (run from anywhere).

Each seed: byte 0 = delivery (odd: a line at a time; even: chunks of 1 + byte0/2 bytes),
byte 1 = peer (even: IPv4, odd: IPv6), then the control stream a client sends."""
import os

LOGIN = b"AUTH TLS\r\nPBSZ 0\r\nPROT P\r\nUSER alice\r\nPASS secret\r\n"
RELAY = b"AUTH TLS\r\nPBSZ 0\r\nPROT P\r\nUSER relay\r\nPASS relay\r\n"

SEEDS = {
    "plain-commands": (1, 0, b"FEAT\r\nSYST\r\nNOOP\r\nUSER alice\r\nPASS secret\r\nQUIT\r\n"),
    "auth-pipelined": (0, 0, b"AUTH TLS\r\nUSER alice\r\n"),
    "auth-variants": (1, 0, b"AUTH SSL\r\nAUTH tls-c\r\nAUTH TLS\r\nAUTH TLS\r\nQUIT\r\n"),
    "login": (1, 0, LOGIN + b"PWD\r\nQUIT\r\n"),
    "login-v6": (1, 1, LOGIN + b"PWD\r\nQUIT\r\n"),
    "wrong-password": (1, 0, b"AUTH TLS\r\nUSER alice\r\nPASS nope\r\nUSER alice\r\nPASS no\r\n"
                              b"USER bob\r\nPASS x\r\nUSER alice\r\nPASS secret\r\n"),
    "navigation": (1, 0, LOGIN + b"CWD full\r\nPWD\r\nCDUP\r\nCWD /status\r\nXPWD\r\nCWD ..\r\n"
                           b"CWD /nope\r\nCWD \"quoted\"\r\nXCUP\r\nPWD\r\n"),
    "types": (1, 0, LOGIN + b"TYPE I\r\nTYPE A N\r\nTYPE L 8\r\nTYPE E\r\nMODE S\r\nMODE B\r\n"
                      b"STRU F\r\nSTRU R\r\nOPTS UTF8 ON\r\nOPTS HASH SHA-256\r\nOPTS MLST x\r\n"),
    "passive": (1, 0, LOGIN + b"PASV\r\nEPSV\r\nEPSV ALL\r\nPASV\r\nEPSV 2\r\nPORT 1,2,3,4,5,6\r\n"
                        b"EPRT |1|1.2.3.4|5|\r\n"),
    "transfers": (1, 0, LOGIN + b"STOR sales-2.csv\r\nRETR sales-1.csv\r\nRETR status/sales-1.csv.txt\r\n"
                          b"LIST\r\nLIST -la full\r\nNLST\r\nMLSD status\r\n"),
    "file-queries": (1, 0, LOGIN + b"SIZE sales-1.csv\r\nMDTM full/full-1.csv\r\nSIZE full\r\n"
                             b"MFMT 20240101000000 sales-1.csv\r\nMFMT 2024 x\r\nHASH sales-1.csv\r\n"
                             b"HASH nope.csv\r\nMKD full\r\nMKD other\r\nXMKD /full\r\n"),
    "delete": (1, 0, LOGIN + b"DELE sales-1.csv\r\nDELE sales-1.csv\r\nDELE full/full-1.csv\r\n"
                       b"DELE status/sales-1.csv.txt\r\nDELE .partial/x\r\n"),
    "relay": (1, 0, RELAY + b"PWD\r\nLIST\r\nCWD acme\r\nSIZE sales-1.csv\r\nCWD /globex\r\n"
                      b"HASH other.csv\r\nCWD /initech\r\nDELE /acme/sales-1.csv\r\n"),
    "not-implemented": (1, 0, LOGIN + b"APPE a\r\nSTOU\r\nREST 5\r\nRNFR a\r\nRNTO b\r\nSITE CHMOD\r\n"
                                b"ABOR\r\nMLST x\r\nSTAT\r\nHELP\r\nALLO 5\r\nXYZZ\r\n"),
    "before-login": (1, 0, b"AUTH TLS\r\nPWD\r\nCWD x\r\nSTOR a\r\nPBSZ 1\r\nPROT P\r\nPBSZ 0\r\n"
                             b"PROT C\r\nPROT S\r\nPROT P\r\nPASS early\r\n"),
    "garbage": (0, 0, b"\x00\x01\xff\xfe\r\nUS\r\nUSERS alice\r\n12345\r\nU\xc3\xa9ER x\r\n\r\n \r\n"),
    "bare-cr-nul": (1, 0, b"NOOP\rQUIT\r\nNO\x00OP\r\nNOOP\r\n\rNOOP\r\nNOOP\r\nNOOP\r\n"),
    "telnet-iac": (2, 0, b"NO\xff\xf4OP\r\n\xff\xfb\x01NOOP\r\nAU\xff\xffTH\r\n\xff\xfd\x03QUIT\r\n"),
    "overlong": (8, 0, b"NOOP " + b"A" * 600 + b"\r\nNOOP\r\n" + b"B" * 1200 + b"\r\nQUIT\r\n"),
    "paths": (1, 0, LOGIN + b"SIZE ../../etc/passwd\r\nSIZE /acme/../x\r\nSIZE %2e%2e/x\r\n"
                      b"SIZE full//a\r\nSIZE \\x\r\nSIZE .hidden\r\nSIZE " + b"n" * 300 + b"\r\n"
                      b"SIZE \xff\xfe\r\nCWD full/\r\nSIZE ./sales-1.csv\r\n"),
    "one-byte-chunks": (0, 0, LOGIN + b"PWD\r\n"),
    "lf-only": (1, 0, b"AUTH TLS\nPBSZ 0\nPROT P\nUSER alice\nPASS secret\nPWD\nQUIT\n"),
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
os.makedirs(here, exist_ok=True)
for name, (delivery, peer, stream) in SEEDS.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(bytes([delivery, peer]) + stream)
