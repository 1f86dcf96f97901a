#!/usr/bin/env python3
"""uniapi's layering, stated by folder and checked against every header under include/uniapi.

Usage: check_layering.py INCLUDE_DIR CXX [--separate]

Without --separate: every #include of every header obeys RULES (which uniapi folders and which of
Asio, Beast and OpenSSL a folder may include), no header includes another component's detail/ or
impl/, and what each header pulls in through the preprocessor (`CXX -M`) brings Asio, Beast or
OpenSSL only through a uniapi folder allowed to include them.

With --separate (UNIAPI_SEPARATE_COMPILATION defined, as uniapi::beast builds): the transport and
test-server headers only declare their compiled code, so they pull in no Beast and no Asio except
through the asynchronous interfaces (transport/async), OpenSSL only in test_certificates.hpp; and no
header pulls in Boost.JSON's parser (the decoder is compiled once).

Exits 1 naming each offending include.
"""
import os
import re
import subprocess
import sys

BASE = {'core', 'json', 'wire', 'transport', 'client'}
PROVIDERS = {'truto', 'merge'}

# What each folder may include: the uniapi folders (a folder's own detail/ and impl/ belong to it)
# and the third-party libraries that need a network stack.
RULES = {
    'core':            ({'core'}, set()),
    'json':            ({'core', 'json'}, set()),
    'wire':            ({'core', 'json', 'wire'}, set()),
    'transport':       ({'core', 'wire', 'transport'}, set()),
    'transport/async': ({'core', 'wire', 'transport', 'transport/async'}, {'asio'}),
    'transport/beast': ({'core', 'wire', 'transport', 'transport/async', 'transport/beast'},
                        {'asio', 'beast', 'openssl'}),
    'client':          ({'core', 'json', 'wire', 'transport', 'client'}, set()),
    'client/async':    ({'core', 'json', 'wire', 'transport', 'transport/async', 'client',
                         'client/async'}, {'asio'}),
    # Generic test support: servers on Beast, certificates from OpenSSL; never a provider.
    'testing':         (BASE | {'transport/async', 'transport/beast', 'client/async', 'testing'},
                        {'asio', 'beast', 'openssl'}),
}
for p in PROVIDERS:
    # A provider: profile, models, clients. Never the Beast transport, never test support.
    RULES[p] = (BASE | {'transport/async', 'client/async', p, p + '/ats', p + '/crm'}, set())
    RULES[p + '/ats'] = RULES[p + '/crm'] = RULES[p]
    # A provider's emulation: its own API served by the generic test servers.
    RULES[p + '/testing'] = (RULES['testing'][0] | RULES[p][0] | {p + '/testing'},
                             RULES['testing'][1])
# Umbrellas at the top: <uniapi/json.hpp> is the codec's.
TOP = {'json.hpp': 'json'}
# Compile units of the separately compiled code: include every component's impl/.
COMPILE_UNITS = {'src.hpp', 'testing/src.hpp'}

LIBRARIES = {'asio': 'boost/asio', 'beast': 'boost/beast', 'openssl': 'openssl/'}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def folder_of(rel):
    """The folder a header belongs to: its directory without trailing detail/ or impl/."""
    parts = rel.split('/')[:-1]
    while parts and parts[-1] in ('detail', 'impl'):
        parts.pop()
    return '/'.join(parts)


def component_of(rel):
    if '/' not in rel:
        return TOP.get(rel)
    return folder_of(rel)


def library_of(path):
    for name, prefix in LIBRARIES.items():
        if path.startswith(prefix) or ('/' + prefix) in path:
            return name
    return None


def headers(root):
    out = []
    for dp, _, files in os.walk(os.path.join(root, 'uniapi')):
        for f in files:
            if f.endswith(('.hpp', '.ipp')):
                out.append(os.path.relpath(os.path.join(dp, f), root))
    return sorted(out)


def check_direct(root, rel):
    """Problems with the #include lines of `rel` (a path under INCLUDE_DIR, from `uniapi/`)."""
    name = rel[len('uniapi/'):]
    if name in COMPILE_UNITS:
        return []
    me = component_of(name)
    if me not in RULES:
        return [f'{rel}: folder {me!r} has no layering rule (add it to RULES in {__file__})']
    folders, libraries = RULES[me]
    problems = []
    text = open(os.path.join(root, rel), encoding='utf-8').read()
    for m in INCLUDE.finditer(text):
        inc = m.group(1)
        line = text.count('\n', 0, m.start()) + 1
        where = f'{rel}:{line} includes <{inc}>'
        if inc.startswith('uniapi/'):
            target = inc[len('uniapi/'):]
            them = component_of(target)
            if them not in folders:
                problems.append(f'{where}: {me}/ may include only {", ".join(sorted(folders))}')
            owner = folder_of(target)
            private = re.search(r'(^|/)(detail|impl)/', target)
            if private and owner != 'core' and not (me == owner or me.startswith(owner + '/')):
                problems.append(f'{where}: the detail/impl of {owner}/ is private to {owner}/')
        else:
            lib = library_of(inc)
            if lib and lib not in libraries:
                allowed = ', '.join(sorted(libraries)) or 'none of Asio, Beast, OpenSSL'
                problems.append(f'{where}: {me}/ may include {allowed}')
    return problems


def preprocess(cxx, root, includes, separate):
    """The files a translation unit of `#include <i>` for each of `includes` pulls in."""
    flags = ['-DUNIAPI_SEPARATE_COMPILATION'] if separate else []
    source = ''.join(f'#include <{i}>\n' for i in includes)
    r = subprocess.run([cxx, '-std=c++20', *flags, '-I' + root, '-M', '-x', 'c++', '-'],
                       input=source, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'{", ".join(includes)} do not preprocess: {r.stderr}')
    return [d for d in r.stdout.replace('\\\n', ' ').split() if not d.endswith(':') and d != '-']


def pulled_in(cxx, root, includes, separate, forbidden, why):
    """Problems: which of `includes` pull in a library of `forbidden`. One preprocessor run for
    all of them; one per include only when that run finds something, to name the culprit."""
    def hit(deps):
        return next((d for d in deps if library_of(d) in forbidden), None)
    if not includes or not hit(preprocess(cxx, root, sorted(includes), separate)):
        return []
    problems = []
    for i in sorted(includes):
        if found := hit(preprocess(cxx, root, [i], separate)):
            problems.append(f'<{i}> pulls in {found}{why(i)}')
    return problems


def uniapi_closure(root, rel, separate, seen=None):
    """The uniapi headers `rel` includes, directly or not (with UNIAPI_SEPARATE_COMPILATION, the
    impl/ files the headers include only without it are left out)."""
    seen = set() if seen is None else seen
    text = open(os.path.join(root, rel), encoding='utf-8').read()
    for m in INCLUDE.finditer(text):
        inc = m.group(1)
        if not inc.startswith('uniapi/') or inc in seen or (separate and '/impl/' in inc):
            continue
        seen.add(inc)
        uniapi_closure(root, inc, separate, seen)
    return seen


ALL = set(LIBRARIES)


def check_closure(cxx, root, all_headers):
    """Without separate compilation: the third-party headers each folder includes bring no
    library the folder may not include (grouped by what the folders may include)."""
    groups, users = {}, {}
    for rel in all_headers:
        name = rel[len('uniapi/'):]
        if name in COMPILE_UNITS or component_of(name) not in RULES:
            continue
        allowed = RULES[component_of(name)][1]
        text = open(os.path.join(root, rel), encoding='utf-8').read()
        for m in INCLUDE.finditer(text):
            inc = m.group(1)
            if inc.startswith('uniapi/') or library_of(inc):
                continue
            groups.setdefault(frozenset(ALL - allowed), set()).add(inc)
            users.setdefault(inc, []).append(rel)
    problems = []
    for forbidden, includes in groups.items():
        problems += pulled_in(cxx, root, includes, False, forbidden,
                              lambda i: f' (included by {", ".join(sorted(set(users[i])))})')
    return problems


def check_separate(cxx, root, all_headers):
    """With UNIAPI_SEPARATE_COMPILATION: no header pulls in Boost.JSON's parser; the transport and
    test-server headers pull in no Beast, no Asio but through transport/async, no OpenSSL but
    test_certificates.hpp."""
    public = [rel for rel in all_headers if rel[len('uniapi/'):] not in COMPILE_UNITS and
              rel.endswith('.hpp') and not re.search(r'/(detail|impl)/', rel)]
    problems = []
    flags = ['-DUNIAPI_SEPARATE_COMPILATION']
    deps = preprocess(cxx, root, public, True)
    if parser := next((d for d in deps if 'boost/json/basic_parser' in d), None):
        for rel in public:
            if found := next((d for d in preprocess(cxx, root, [rel], True)
                              if 'boost/json/basic_parser' in d), None):
                problems.append(f'<{rel}> pulls in {found}: the decoder is compiled once')
    groups = {}
    for rel in public:
        me = component_of(rel[len('uniapi/'):])
        if me not in {'transport/beast', 'testing'} and not me.endswith('/testing'):
            continue
        allowed = set()
        if any(component_of(o[len('uniapi/'):]) == 'transport/async'
               for o in uniapi_closure(root, rel, True) | {rel}):
            allowed.add('asio')
        if rel == 'uniapi/testing/test_certificates.hpp':
            allowed.add('openssl')
        groups.setdefault(frozenset(ALL - allowed), set()).add(rel)
    for forbidden, includes in groups.items():
        problems += pulled_in(cxx, root, includes, True, forbidden,
                              lambda i: ' with UNIAPI_SEPARATE_COMPILATION')
    return problems


def main():
    root, cxx = os.path.abspath(sys.argv[1]), sys.argv[2]
    separate = '--separate' in sys.argv[3:]
    all_headers = headers(root)
    if not all_headers:
        print(f'no header under {root}/uniapi', file=sys.stderr)
        return 1
    try:
        if separate:
            problems = check_separate(cxx, root, all_headers)
        else:
            problems = [p for h in all_headers for p in check_direct(root, h)]
            problems += check_closure(cxx, root, all_headers)
    except RuntimeError as e:
        problems = [str(e)]
    for p in problems:
        print(p, file=sys.stderr)
    mode = 'with UNIAPI_SEPARATE_COMPILATION' if separate else 'by folder'
    print(f'{len(all_headers)} headers checked {mode}: {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
