#!/usr/bin/env python3
"""Writes the seed corpus of the csv target: the option byte (see fuzz_csv.cpp) then a file.
Run from anywhere; rewrites corpus/ beside this script."""
import pathlib

SALES, CATALOG = 0, 1
DELIMS = {",": 0, ";": 2, "\t": 4, "|": 6}
PII = 8
CHUNK1, CHUNK7, WHOLE = 0x00, 0x40, 0xF0

seeds = {
    "sales-basic": (SALES | WHOLE, "order,timestamp,customer,item,price,quantity\n"
                    "A1,2026-11-29T13:55:00Z,42,SKU-1,12.50,1\n"
                    "A1,2026-11-29,42,SKU-2,-3.5,-1\n"),
    "sales-crlf-bom-no-final-newline": (SALES | CHUNK7, "\ufefforder,timestamp,customer,item,price\r\n"
                    "B7,2026-02-28T23:59:59.999999+01:00,18446744073709551615,\"SKU, \"\"quoted\"\"\",0.000001"),
    "sales-custom-columns": (SALES | WHOLE, "order,timestamp,customer,item,price,s_note,i_n,f_cost,d_shipped\n"
                    "C1,2026-01-01,1,I,1,\"multi\nline\",-9223372036854775808,999999999999.999999,2026-01-02T00:00:00-05:30\n"
                    "C2,2026-01-01,2,I,1,,,,\n"),
    "sales-semicolon": (SALES | DELIMS[";"] | CHUNK1, "order;timestamp;customer;item;price\n"
                    " D1 ; 2026-03-01 ; 7 ; x ; 1.5 \n\n\n"),
    "sales-tab": (SALES | DELIMS["\t"] | WHOLE, "order\ttimestamp\tcustomer\titem\tprice\n"
                    "E1\t2026-03-01\t7\tx\t1\n"),
    "sales-pipe": (SALES | DELIMS["|"] | WHOLE, "order|timestamp|customer|item|price\nF1|2026-03-01|7|x|1\n"),
    "sales-email-value": (SALES | WHOLE, "order,timestamp,customer,item,price,s_note\n"
                    "G1,2026-03-01,7,x,1,write to jane.doe@example.com\n"),
    "sales-email-value-allowed": (SALES | PII | WHOLE, "order,timestamp,customer,item,price,s_note\n"
                    "G1,2026-03-01,7,x,1,jane@example.org\n"),
    "sales-pii-column": (SALES | WHOLE, "order,timestamp,customer,item,price,s_customer_name,s_product_name\n"
                    "H1,2026-03-01,7,x,1,Jane,Shoe\n"),
    "sales-bad-values": (SALES | WHOLE, "order,timestamp,customer,item,price,quantity\n"
                    ",2026-02-30,-1,,1.0000001,1e3\n"
                    "I2,2026-01-01T24:00:00Z,18446744073709551616,x,1000000000000,\n"),
    "sales-bad-header": (SALES | WHOLE, "order,timestamp,customer,item,Price,s_Color,s_a,s_a,x_y\nJ,1,2,3,4\n"),
    "sales-malformed-quotes": (SALES | WHOLE, "order,timestamp,customer,item,price\n"
                    "\"K1\"x,2026-01-01,1,i,1\n\"unterminated,2026-01-01,1,i,1\n"),
    "sales-invalid-utf8": (SALES | CHUNK7, "order,timestamp,customer,item,price\nL1,2026-01-01,1,\udcff\udcfe,1\n"),
    "sales-header-only": (SALES | WHOLE, "order,timestamp,customer,item,price\n"),
    "sales-wrong-field-count": (SALES | WHOLE, "order,timestamp,customer,item,price\nM1,2026-01-01,1\nM2,2026-01-01,1,i,1,extra\n"),
    "catalog-basic": (CATALOG | WHOLE, "item,category,title,brand,s_colour\n"
                    "SKU-1, Shoes > Running | Sale ,Runner 2,Acme,red\n"
                    "SKU-2,Books,,,\n"),
    "catalog-duplicate-item": (CATALOG | CHUNK7, "item,category\nX,A\nX,B\n"),
    "catalog-empty-level": (CATALOG | WHOLE, "item,category\nY,A>>B\nZ,|A\n"),
    "catalog-item-name": (CATALOG | WHOLE, "item,category,s_item_name,s_firstname\nA,B,C,D\n"),
    "empty-file": (SALES | WHOLE, ""),
}

out = pathlib.Path(__file__).resolve().parent / "corpus"
out.mkdir(exist_ok=True)
for old in out.iterdir():
    old.unlink()
for name, (options, text) in seeds.items():
    data = bytes([options]) + text.encode("utf-8", "surrogateescape")
    (out / name).write_bytes(data)
