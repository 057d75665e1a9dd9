#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate hdm register headers and docs register tables from CMSIS-SVD.

Usage:
  svdgen.py header    DEVICE.svd OUT.h    write the C register header
  svdgen.py doc       DEVICE.svd DOC.md   rewrite the register table in DOC.md
  svdgen.py check-doc DEVICE.svd DOC.md   fail if DOC.md's table is out of date

Exit status: 0 success, 1 the committed table differs (check-doc only),
2 usage error or bad input (unreadable or malformed SVD, missing markers).

The header holds only #defines, prefix HDM_<DEVICE>_ (SVD device name, upper
case), register and field names upper-cased:
  <REG>_OFFSET  byte offset in the block    <REG>_RESET  reset value
  <REG>_MASK    OR of all field masks       <REG>_<FIELD>_Pos / _Msk
Values are unsigned hex (u; ull for registers wider than 32 bits).
A register array (SVD dim, name "T%s_CONF" or "REG[%s]") gets the macros
above for every element (T0_CONF, T1_CONF, ...) and once more under the
name with the index replaced by N (TN_CONF), which also has _COUNT, _STRIDE
and the function-like _OFFSET(n).

The docs table sits between the lines BEGIN_MARKER and END_MARKER (see
below) and is rewritten in place by "doc"; the rest of the file is kept.

Supported SVD subset: one <peripheral> with <register>s (no <cluster>, no
derivedFrom); size, access, resetValue and resetMask inherited from the
device and peripheral; fields as bitOffset/bitWidth, lsb/msb or bitRange;
dim/dimIncrement/dimIndex on registers and fields; sizes 8, 16, 32, 64.
Standard library only.
"""

import argparse
import difflib
import os
import re
import sys
import textwrap
import xml.etree.ElementTree as ET

PROG = "svdgen"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN_PREFIX = "<!-- BEGIN REGISTER TABLE"
BEGIN_MARKER = ("<!-- BEGIN REGISTER TABLE: generated from {svd} by {tool}; "
                "do not edit -->")
END_MARKER = "<!-- END REGISTER TABLE -->"

ACCESS_SHORT = {
    "read-only": "RO",
    "write-only": "WO",
    "read-write": "RW",
    "writeOnce": "W1",
    "read-writeOnce": "RW1",
}
SIZES = (8, 16, 32, 64)
MAX_DIM = 1024  # elements per SVD dim array
SCALE = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
NUMBER_RE = re.compile(
    r"\+?(0[xX][0-9a-fA-F]+|#[01]+|0[bB][01]+|[0-9]+)([kKmMgGtT]?)")
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DIM_NAME_RE = re.compile(r"[A-Za-z_0-9]*(%s|\[%s\])[A-Za-z_0-9]*")


class SvdError(Exception):
    """Bad input: reported as 'svdgen: error: <message>', exit status 2."""


class Field:
    def __init__(self, name, lsb, width, access, description):
        self.name = name
        self.lsb = lsb
        self.width = width
        self.access = access
        self.description = description

    @property
    def msb(self):
        return self.lsb + self.width - 1

    @property
    def mask(self):
        return ((1 << self.width) - 1) << self.lsb


class Register:
    """One register, or one element of a register array."""

    def __init__(self, name, offset, size, access, reset, reset_mask,
                 description, fields, alternate_register, alternate_group,
                 order, array=None):
        self.name = name            # as in the SVD (TRM spelling)
        self.offset = offset
        self.size = size
        self.access = access
        self.reset = reset
        self.reset_mask = reset_mask
        self.description = description
        self.fields = fields        # list of Field, document order
        self.alternate_register = alternate_register
        self.alternate_group = alternate_group
        self.order = order          # document order, for stable sorting
        self.array = array          # RegisterArray this element belongs to

    @property
    def mask(self):
        m = 0
        for f in self.fields:
            m |= f.mask
        return m

    @property
    def nbytes(self):
        return self.size // 8


class RegisterArray:
    """An SVD register with dim: the generic name and its elements."""

    def __init__(self, name, indices, stride):
        self.name = name            # index replaced by N, e.g. TN_CONF
        self.indices = indices
        self.stride = stride
        self.elements = []


class Device:
    def __init__(self, name, description, registers, arrays):
        self.name = name
        self.description = description
        self.registers = registers  # every register and array element
        self.arrays = arrays


# --------------------------------------------------------------- parsing --

def _text(elem, tag, ctx, required=False):
    child = elem.find(tag)
    value = None
    if child is not None and child.text is not None:
        value = " ".join(child.text.split())
    if not value:
        if required:
            raise SvdError("%s: missing or empty <%s>" % (ctx, tag))
        return None
    return value


def _number(value, ctx, tag):
    m = NUMBER_RE.fullmatch(value)
    if not m:
        raise SvdError("%s: <%s> is not a number: %r" % (ctx, tag, value))
    digits, scale = m.group(1), SCALE[m.group(2).lower()]
    if digits[:2] in ("0x", "0X"):
        n = int(digits[2:], 16)
    elif digits[:1] == "#":
        n = int(digits[1:], 2)
    elif digits[:2] in ("0b", "0B"):
        n = int(digits[2:], 2)
    else:
        n = int(digits, 10)
    return n * scale


def _num(elem, tag, ctx, required=False):
    value = _text(elem, tag, ctx, required)
    return None if value is None else _number(value, ctx, tag)


def _identifier(name, ctx, what="name"):
    if not IDENT_RE.fullmatch(name):
        raise SvdError("%s: %s %r is not a C identifier" % (ctx, what, name))
    return name


def _dim(elem, name, ctx):
    """Return None, or (indices, increment) for an element with <dim>."""
    has_dim = elem.find("dim") is not None
    templated = "%s" in name
    if not has_dim:
        for tag in ("dimIncrement", "dimIndex"):
            if elem.find(tag) is not None:
                raise SvdError("%s: <%s> without <dim>" % (ctx, tag))
        if templated:
            raise SvdError("%s: name %r contains %%s but there is no <dim>"
                           % (ctx, name))
        return None
    if not DIM_NAME_RE.fullmatch(name) or name.count("%s") != 1:
        raise SvdError("%s: a <dim> array needs one %%s in its name, as in "
                       "T%%s_CONF or REG[%%s]; got %r" % (ctx, name))
    count = _num(elem, "dim", ctx, required=True)
    step = _num(elem, "dimIncrement", ctx, required=True)
    if not 1 <= count <= MAX_DIM:
        raise SvdError("%s: <dim> %d is outside 1..%d" % (ctx, count, MAX_DIM))
    spec = _text(elem, "dimIndex", ctx)
    if spec is None:
        indices = [str(i) for i in range(count)]
    else:
        compact = spec.replace(" ", "")
        m_num = re.fullmatch(r"([0-9]+)-([0-9]+)", compact)
        m_chr = re.fullmatch(r"([A-Z])-([A-Z])", compact)
        if m_num:
            lo, hi = int(m_num.group(1)), int(m_num.group(2))
            if hi - lo + 1 != count:
                raise SvdError("%s: <dimIndex> %r has %d entries but <dim> "
                               "is %d" % (ctx, spec, max(hi - lo + 1, 0),
                                          count))
            indices = [str(i) for i in range(lo, hi + 1)]
        elif m_chr:
            lo, hi = ord(m_chr.group(1)), ord(m_chr.group(2))
            indices = [chr(c) for c in range(lo, hi + 1)]
        else:
            indices = compact.split(",")
            for idx in indices:
                if not re.fullmatch(r"[A-Za-z0-9_]+", idx):
                    raise SvdError("%s: bad <dimIndex> %r" % (ctx, spec))
        if len(indices) != count:
            raise SvdError("%s: <dimIndex> %r has %d entries but <dim> is %d"
                           % (ctx, spec, len(indices), count))
        if len(set(indices)) != len(indices):
            raise SvdError("%s: <dimIndex> %r repeats an index" % (ctx, spec))
    return indices, step


def _element_name(template, index):
    return template.replace("[%s]", "%s").replace("%s", index)


def _array_name(template):
    return template.replace("[%s]", "").replace("%s", "N")


def _bit_range(elem, ctx):
    offset = _num(elem, "bitOffset", ctx)
    if offset is not None:
        width = _num(elem, "bitWidth", ctx)
        return offset, 1 if width is None else width
    lsb, msb = _num(elem, "lsb", ctx), _num(elem, "msb", ctx)
    if lsb is not None or msb is not None:
        if lsb is None or msb is None:
            raise SvdError("%s: <lsb> and <msb> must be given together" % ctx)
        if msb < lsb:
            raise SvdError("%s: <msb> %d is below <lsb> %d" % (ctx, msb, lsb))
        return lsb, msb - lsb + 1
    rng = _text(elem, "bitRange", ctx)
    if rng is not None:
        m = re.fullmatch(r"\[([0-9]+):([0-9]+)\]", rng.replace(" ", ""))
        if not m:
            raise SvdError("%s: <bitRange> must look like [7:0]; got %r"
                           % (ctx, rng))
        msb, lsb = int(m.group(1)), int(m.group(2))
        if msb < lsb:
            raise SvdError("%s: <bitRange> %s has msb below lsb" % (ctx, rng))
        return lsb, msb - lsb + 1
    raise SvdError("%s: no bit position (give bitOffset/bitWidth, lsb/msb "
                   "or bitRange)" % ctx)


def _access(elem, ctx, inherited):
    value = _text(elem, "access", ctx)
    if value is None:
        return inherited
    if value not in ACCESS_SHORT:
        raise SvdError("%s: unknown <access> %r (expected one of %s)"
                       % (ctx, value, ", ".join(ACCESS_SHORT)))
    return value


def _properties(elem, ctx, inherited):
    props = dict(inherited)
    size = _num(elem, "size", ctx)
    if size is not None:
        props["size"] = size
    props["access"] = _access(elem, ctx, props.get("access"))
    for tag in ("resetValue", "resetMask"):
        value = _num(elem, tag, ctx)
        if value is not None:
            props[tag] = value
    return props


def _fields(reg_elem, size, access, ctx):
    fields = []
    container = reg_elem.find("fields")
    if container is None:
        return fields
    for f_elem in container.findall("field"):
        if f_elem.get("derivedFrom") is not None:
            raise SvdError("%s: field derivedFrom is not supported" % ctx)
        raw = _text(f_elem, "name", ctx + ": <field>", required=True)
        fctx = "%s, field %s" % (ctx, raw)
        dim = _dim(f_elem, raw, fctx)
        lsb, width = _bit_range(f_elem, fctx)
        if width < 1:
            raise SvdError("%s: bit width must be at least 1" % fctx)
        f_access = _access(f_elem, fctx, access)
        desc = _text(f_elem, "description", fctx) or ""
        if dim is None:
            expanded = [(raw, lsb)]
        else:
            indices, step = dim
            expanded = [(_element_name(raw, idx), lsb + i * step)
                        for i, idx in enumerate(indices)]
        for name, pos in expanded:
            _identifier(name, fctx)
            if pos + width > size:
                raise SvdError("%s: bits [%d:%d] do not fit the %d-bit "
                               "register" % (fctx, pos + width - 1, pos, size))
            fields.append(Field(name, pos, width, f_access, desc))
    seen = {}
    used = 0
    for f in fields:
        key = f.name.upper()
        if key in seen:
            raise SvdError("%s: field name %s appears twice" % (ctx, f.name))
        seen[key] = f
        if used & f.mask:
            other = [g.name for g in fields if g is not f and g.mask & f.mask]
            raise SvdError("%s: field %s overlaps field %s"
                           % (ctx, f.name, other[0]))
        used |= f.mask
    return fields


def parse_svd(path):
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        raise SvdError("%s: malformed XML: %s" % (path, e)) from None
    except OSError as e:
        raise SvdError("%s: cannot read: %s" % (path, e.strerror or e)) \
            from None
    root = tree.getroot()
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    if root.tag != "device":
        raise SvdError("%s: root element is <%s>, expected <device>"
                       % (path, root.tag))
    dev_name = _identifier(_text(root, "name", path, required=True), path,
                           "device name")
    dev_desc = _text(root, "description", path) or ""
    props = _properties(root, path + ": <device>", {"access": "read-write"})

    periphs_elem = root.find("peripherals")
    periphs = [] if periphs_elem is None else periphs_elem.findall(
        "peripheral")
    if len(periphs) != 1:
        raise SvdError("%s: found %d <peripheral> elements; svdgen supports "
                       "exactly one per device" % (path, len(periphs)))
    periph = periphs[0]
    pname = _text(periph, "name", path + ": <peripheral>", required=True)
    pctx = "%s: peripheral %s" % (path, pname)
    if periph.get("derivedFrom") is not None or periph.find("dim") is not None:
        raise SvdError("%s: derivedFrom and dim on <peripheral> are not "
                       "supported" % pctx)
    props = _properties(periph, pctx, props)
    blocks = []
    for blk in periph.findall("addressBlock"):
        blocks.append((_num(blk, "offset", pctx + ": <addressBlock>", True),
                       _num(blk, "size", pctx + ": <addressBlock>", True)))
    regs_elem = periph.find("registers")
    if regs_elem is None:
        raise SvdError("%s: no <registers>" % pctx)
    if regs_elem.find("cluster") is not None:
        raise SvdError("%s: <cluster> is not supported" % pctx)

    registers = []
    arrays = []
    order = 0
    for r_elem in regs_elem.findall("register"):
        raw = _text(r_elem, "name", pctx + ": <register>", required=True)
        ctx = "%s: register %s" % (path, raw)
        if r_elem.get("derivedFrom") is not None:
            raise SvdError("%s: register derivedFrom is not supported" % ctx)
        dim = _dim(r_elem, raw, ctx)
        offset = _num(r_elem, "addressOffset", ctx, required=True)
        rp = _properties(r_elem, ctx, props)
        size = rp.get("size")
        if size is None:
            raise SvdError("%s: no <size> in the register, peripheral or "
                           "device" % ctx)
        if size not in SIZES:
            raise SvdError("%s: <size> %d is not one of %s"
                           % (ctx, size, ", ".join(map(str, SIZES))))
        if "resetValue" not in rp:
            raise SvdError("%s: no <resetValue> in the register, peripheral "
                           "or device" % ctx)
        full = (1 << size) - 1
        reset = rp["resetValue"]
        reset_mask = rp.get("resetMask", full) & full
        if reset > full:
            raise SvdError("%s: <resetValue> 0x%X does not fit %d bits"
                           % (ctx, reset, size))
        fields = _fields(r_elem, size, rp["access"], ctx)
        alt_reg = _text(r_elem, "alternateRegister", ctx)
        alt_group = _text(r_elem, "alternateGroup", ctx)
        desc = _text(r_elem, "description", ctx) or ""
        if dim is None:
            elements = [(raw, offset)]
            array = None
        else:
            indices, step = dim
            elements = [(_element_name(raw, idx), offset + i * step)
                        for i, idx in enumerate(indices)]
            array = RegisterArray(_array_name(raw), indices, step)
            _identifier(array.name, ctx)
            arrays.append(array)
        for name, off in elements:
            _identifier(name, ctx)
            reg = Register(name, off, size, rp["access"], reset, reset_mask,
                           desc, fields, alt_reg, alt_group, order, array)
            order += 1
            if fields and reset & reset_mask & ~reg.mask:
                raise SvdError("%s: <resetValue> 0x%X sets bits outside the "
                               "fields (mask 0x%X)" % (ctx, reset, reg.mask))
            if blocks and not any(b <= off and off + reg.nbytes <= b + s
                                  for b, s in blocks):
                raise SvdError("%s: offset 0x%X is outside every "
                               "<addressBlock>" % (ctx, off))
            if array is not None:
                array.elements.append(reg)
            registers.append(reg)
    if not registers:
        raise SvdError("%s: no <register> elements" % pctx)
    _check_registers(path, registers)
    return Device(dev_name, dev_desc, registers, arrays)


def _check_registers(path, registers):
    by_name = {}
    for reg in registers:
        key = reg.name.upper()
        if key in by_name:
            raise SvdError("%s: register name %s appears twice"
                           % (path, reg.name))
        by_name[key] = reg
    for reg in registers:
        target = reg.alternate_register
        if target and "%s" not in target and target.upper() not in by_name:
            raise SvdError("%s: register %s: <alternateRegister> %s names no "
                           "register" % (path, reg.name, target))
    for i, a in enumerate(registers):
        for b in registers[i + 1:]:
            if (a.offset < b.offset + b.nbytes
                    and b.offset < a.offset + a.nbytes
                    and not (a.alternate_register or a.alternate_group
                             or b.alternate_register or b.alternate_group)):
                raise SvdError("%s: registers %s and %s overlap at 0x%X; mark "
                               "one with <alternateRegister> or "
                               "<alternateGroup>"
                               % (path, a.name, b.name, max(a.offset,
                                                            b.offset)))


# ------------------------------------------------------------ generation --

def repo_path(path):
    """Path as shown in generated text: repository-relative when inside."""
    full = os.path.abspath(path)
    rel = os.path.relpath(full, REPO_ROOT)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return os.path.basename(full)
    return rel.replace(os.sep, "/")


def _comment_safe(text):
    return text.replace("/*", "/ *").replace("*/", "* /").replace("??", "? ?")


def _offset_digits(device):
    top = max(r.offset for r in device.registers)
    return max(3, len("%X" % top))


def _hex(value, size):
    return "0x%0*X%s" % (size // 4, value, "ull" if size > 32 else "u")


def _comment(lines, head, text):
    body = textwrap.wrap(_comment_safe(head + (": " + text if text else "")),
                         75, break_long_words=False, break_on_hyphens=False)
    lines.append("/*")
    lines.extend((" * " + line).rstrip() for line in body)
    lines.append(" */")


def _register_macros(out, base, reg, digits, offset_macro=True):
    if offset_macro:
        out.append((base + "_OFFSET", "0x%0*Xu" % (digits, reg.offset)))
    out.append((base + "_RESET", _hex(reg.reset, reg.size)))
    out.append((base + "_MASK", _hex(reg.mask, reg.size)))
    for f in sorted(reg.fields, key=lambda f: f.lsb):
        fbase = base + "_" + f.name.upper()
        out.append((fbase + "_Pos", "%du" % f.lsb))
        out.append((fbase + "_Msk", _hex(f.mask, reg.size)))


def _array_offset_expr(array, digits):
    """Return (C expression of n, the same for the comment, note)."""
    first = "0x%0*X" % (digits, array.elements[0].offset)
    stride = "0x%X" % array.stride
    if all(i.isdigit() for i in array.indices):
        start = int(array.indices[0])
        if [int(i) for i in array.indices] == list(
                range(start, start + len(array.indices))):
            if start == 0:
                return ("(%su + %su * (n))" % (first, stride),
                        "%s + %s * n" % (first, stride), "")
            return ("(%su + %su * ((n) - %du))" % (first, stride, start),
                    "%s + %s * (n - %d)" % (first, stride, start), "")
    return ("(%su + %su * (n))" % (first, stride),
            "%s + %s * n" % (first, stride),
            "In _OFFSET(n), n is the position of the index in %s, from 0."
            % ",".join(array.indices))


def generate_header(device, svd_path):
    prefix = "HDM_" + device.name.upper()
    guard = prefix + "_REGS_H"
    digits = _offset_digits(device)
    lines = ["/* SPDX-License-Identifier: MIT */", "/*"]
    lines.append(" * hdm/%s_regs.h: %s register map."
                 % (device.name.lower(), device.name))
    if device.description:
        lines.append(" *")
        for line in textwrap.wrap(_comment_safe(device.description), 75,
                                  break_long_words=False,
                                  break_on_hyphens=False):
            lines.append(" * " + line)
    lines += [
        " *",
        " * Generated from %s by %s; do not edit."
        % (repo_path(svd_path), repo_path(__file__)),
        " *",
        " * <REG>_OFFSET is the byte offset in the block, <REG>_RESET the",
        " * reset value, <REG>_MASK the bits that exist (OR of the field",
        " * masks); <REG>_<FIELD>_Pos is a field's lowest bit and",
        " * <REG>_<FIELD>_Msk its mask in place. Values of registers wider",
        " * than 32 bits are unsigned long long (ull).",
    ]
    if device.arrays:
        lines += [
            " * A register array (name with N for the index) also has _COUNT,",
            " * _STRIDE and the function-like _OFFSET(n).",
        ]
    lines += [" */", "#ifndef " + guard, "#define " + guard]

    defined = {}

    def emit(pairs):
        for name, value in pairs:
            if name in defined:
                raise SvdError("%s: macro %s would be defined twice; rename a "
                               "register or field" % (svd_path, name))
            defined[name] = value
            lines.append("#define %s %s" % (name, value))

    done = set()
    for reg in sorted(device.registers, key=lambda r: (r.offset, r.order)):
        if id(reg) in done:
            continue
        lines.append("")
        head = "%s, 0x%0*X, %s" % (reg.name, digits, reg.offset,
                                   ACCESS_SHORT[reg.access])
        if reg.array is None:
            done.add(id(reg))
            _comment(lines, head, reg.description)
            pairs = []
            _register_macros(pairs, prefix + "_" + reg.name.upper(), reg,
                             digits)
            emit(pairs)
            continue
        array = reg.array
        first = array.elements[0]
        expr, where, note = _array_offset_expr(array, digits)
        head = "%s[%s], %s, %s" % (array.name, ",".join(array.indices),
                                   where, ACCESS_SHORT[first.access])
        _comment(lines, head, " ".join(
            t for t in (first.description, note) if t))
        base = prefix + "_" + array.name.upper()
        pairs = [(base + "_OFFSET(n)", expr),
                 (base + "_COUNT", "%du" % len(array.elements)),
                 (base + "_STRIDE", "0x%Xu" % array.stride)]
        _register_macros(pairs, base, first, digits, offset_macro=False)
        for element in array.elements:
            done.add(id(element))
            _register_macros(pairs, prefix + "_" + element.name.upper(),
                             element, digits)
        emit(pairs)
    lines += ["", "#endif /* %s */" % guard]
    return "\n".join(lines) + "\n"


def _md_cell(text):
    return " ".join(text.split()).replace("|", "\\|")


def _field_list(reg):
    parts = []
    for f in sorted(reg.fields, key=lambda f: f.lsb, reverse=True):
        if f.width == 1:
            parts.append("%s[%d]" % (f.name, f.lsb))
        else:
            parts.append("%s[%d:%d]" % (f.name, f.msb, f.lsb))
    return ", ".join(parts) if parts else "(none)"


def generate_table(device):
    digits = _offset_digits(device)
    rows = ["| Offset | Name | Access | Reset | Fields | Description |",
            "|---|---|---|---|---|---|"]
    for reg in sorted(device.registers, key=lambda r: (r.offset, r.order)):
        rows.append("| 0x%0*X | %s | %s | 0x%0*X | %s | %s |" % (
            digits, reg.offset, reg.name, ACCESS_SHORT[reg.access],
            reg.size // 4, reg.reset, _md_cell(_field_list(reg)),
            _md_cell(reg.description)))
    return [""] + rows + [""]


# ----------------------------------------------------------------- files --

def _write_atomic(path, text, like=None):
    tmp = "%s.tmp%d" % (path, os.getpid())
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if like is not None:
            os.chmod(tmp, os.stat(like).st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SvdError("%s: cannot write: %s" % (path, e.strerror or e)) \
            from None


def _read_doc(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read().splitlines(keepends=True)
    except OSError as e:
        raise SvdError("%s: cannot read: %s" % (path, e.strerror or e)) \
            from None
    except UnicodeDecodeError as e:
        raise SvdError("%s: not UTF-8: %s" % (path, e)) from None


def _find_region(lines, doc_path, begin):
    begins = [i for i, l in enumerate(lines)
              if l.strip().startswith(BEGIN_PREFIX)]
    ends = [i for i, l in enumerate(lines) if l.strip() == END_MARKER]
    if not begins or not ends:
        raise SvdError(
            "%s: register table markers not found; put these two lines where "
            "the table belongs:\n  %s\n  %s" % (doc_path, begin, END_MARKER))
    if len(begins) > 1 or len(ends) > 1:
        raise SvdError("%s: expected one pair of register table markers, "
                       "found %d BEGIN and %d END lines"
                       % (doc_path, len(begins), len(ends)))
    b, e = begins[0], ends[0]
    if e < b:
        raise SvdError("%s:%d: END REGISTER TABLE marker comes before the "
                       "BEGIN marker (line %d)" % (doc_path, e + 1, b + 1))
    if lines[b].strip() != begin:
        raise SvdError("%s:%d: BEGIN marker does not match this SVD:\n"
                       "  found:    %s\n  expected: %s"
                       % (doc_path, b + 1, lines[b].strip(), begin))
    return b, e


def _doc_parts(svd_path, doc_path):
    device = parse_svd(svd_path)
    begin = BEGIN_MARKER.format(svd=repo_path(svd_path),
                                tool=repo_path(__file__))
    lines = _read_doc(doc_path)
    b, e = _find_region(lines, doc_path, begin)
    return lines, b, e, generate_table(device)


def cmd_header(args):
    device = parse_svd(args.svd)
    text = generate_header(device, args.svd)
    out_dir = os.path.dirname(os.path.abspath(args.output))
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise SvdError("%s: cannot create directory: %s"
                       % (out_dir, e.strerror or e)) from None
    _write_atomic(args.output, text)
    return 0


def cmd_doc(args):
    lines, b, e, table = _doc_parts(args.svd, args.doc)
    new = lines[:b + 1] + [row + "\n" for row in table] + lines[e:]
    if new == lines:
        print("%s: %s: register table already up to date" % (PROG, args.doc))
        return 0
    _write_atomic(args.doc, "".join(new), like=args.doc)
    print("%s: %s: register table updated" % (PROG, args.doc))
    return 0


def cmd_check_doc(args):
    lines, b, e, table = _doc_parts(args.svd, args.doc)
    committed = [l.rstrip("\r\n") for l in lines]
    wanted = committed[:b + 1] + table + committed[e:]
    if committed == wanted:
        return 0
    diff = difflib.unified_diff(
        committed, wanted, lineterm="",
        fromfile="%s (committed table)" % args.doc,
        tofile="%s (generated from %s)" % (args.doc, args.svd))
    sys.stderr.write(
        "%s: %s: register table is out of date with %s; regenerate it with\n"
        "  python3 %s doc %s %s\n" % (PROG, args.doc, args.svd,
                                     repo_path(__file__), args.svd, args.doc))
    for line in diff:
        sys.stderr.write(line + "\n")
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG, description="Generate register headers and docs tables "
        "from a CMSIS-SVD file.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("header", help="write the C register header")
    p.add_argument("svd")
    p.add_argument("output")
    p.set_defaults(func=cmd_header)
    p = sub.add_parser("doc", help="rewrite the register table in a doc")
    p.add_argument("svd")
    p.add_argument("doc")
    p.set_defaults(func=cmd_doc)
    p = sub.add_parser("check-doc",
                       help="exit 1 if the doc's register table is stale")
    p.add_argument("svd")
    p.add_argument("doc")
    p.set_defaults(func=cmd_check_doc)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SvdError as e:
        sys.stderr.write("%s: error: %s\n" % (PROG, e))
        return 2


if __name__ == "__main__":
    sys.exit(main())
