#!/usr/bin/env python3
"""Generates the Truto Unified ATS models and descriptors from unified-ats.json.

    scripts/gen_truto_models.py [SPEC] [--check]

SPEC defaults to shared/truto/unified-ats.json (the reference, kept in the repository). Writes
include/uniapi/truto/ats/<model>.hpp for every resource and types.hpp for the shapes several
resources share. The output is committed; rerun after the reference changes. --check writes
nothing: it generates into a scratch directory and exits 1, with a diff, when a committed header
differs from what the generator makes (a test runs it). Needs clang-format 14. Rules:
- a field marked required is a plain member, every other one is std::optional;
- string/boolean/integer/number/datetime map to std::string/bool/std::int64_t/double/timestamp;
- objects with listed fields become structs ({id} is record_ref, {id,name} is named_ref, a shape
  equal to a resource's model reuses that model); objects without fields and fields of unknown
  type become json::raw_json (kept verbatim);
- enums are open_enum over a described enum (unknown values are kept);
- list/get/create/custom query parameters become <model>_<method>_params structs used inside
  truto::list_query / truto::request_query; datetime filters are truto::date_filter.
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
COMMITTED = os.path.join(ROOT, "include", "uniapi", "truto", "ats")
OUT = COMMITTED

SINGULAR = {
    "activities": "activity", "applications": "application", "attachments": "attachment",
    "candidates": "candidate", "departments": "department", "eeocs": "eeoc",
    "interviews": "interview", "job_form_fields": "job_form_field",
    "job_interview_stages": "job_interview_stage", "jobs": "job", "offers": "offer",
    "offices": "office", "organizations": "organization", "reject_reasons": "reject_reason",
    "scorecards": "scorecard", "tags": "tag", "users": "user",
}

# Names for shapes and enums shared across resources (by signature), chosen for what they are.
SHAPE_NAMES = {
    "email:string,name:string": "email_recipient",
    "email:string,type:string,is_primary:boolean": "user_email",
    "email:string,type:string": "candidate_email",
    "number:string,extension:string,type:string": "phone_number",
    "url:string,type:string": "typed_url",
    "id:string,label:string,value:string": "form_field_option",
    "name:string,label:string,description:string,value:string": "scorecard_form_value",
    "id:string,first_name:string,last_name:string,emails:array<object>": "application_credited_to",
    "id:string,name:string,job:object,created_at:datetime,updated_at:datetime": "application_stage",
    "id:string,type:string": "activity_actor",
    "currency:string,id:string,interval:string,is_negotiable:boolean,max:number,min:number,notes:string":
        "job_compensation",
}
ENUM_NAMES = {
    "active,inactive": "record_status",
    "resume,cover_letter,other": "attachment_kind",
    "user,candidate": "actor_kind",
    "candidate,user": "actor_kind",
    "note,email": "activity_kind",
    "email,note": "activity_kind",
    "private,public,admin_only": "activity_visibility",
    "private,public": "field_visibility",
    "text,textarea,dropdown,file,radio,checkbox,date,number": "form_field_kind",
    "draft,scheduled,cancelled,awaiting_feedback,completed": "interview_status",
    "open,closed,draft,pending,archived": "job_status",
    "yearly,monthly,weekly,daily,hourly,one_time,semi_monthly,bi_monthly,bi_weekly":
        "compensation_interval",
    "full_time,part_time,contract,internship,temporary,volunteer,per_diem": "employment_type",
    "draft,approval_sent,approved,sent,sent_manually,opened,denied,signed,deprecated":
        "offer_status",
    "applicant,lead": "candidate_source",
    "admin,no_access,reviewer,simple": "user_access_role",
}
KEYWORDS = set("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq
nullptr operator or or_eq private protected public register reinterpret_cast requires return
short signed sizeof static static_assert static_cast struct switch template this thread_local
throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while
xor xor_eq final override import module""".split())


def ident(name):
    return name + "_" if name in KEYWORDS else name


def signature(fields):
    return ",".join(f"{f['name']}:{f['type']}" for f in fields)


def comment(text, indent="  "):
    if not text:
        return ""
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > 92:
            lines.append(line)
            line = w
        else:
            line = (line + " " + w).strip()
    if line:
        lines.append(line)
    return "".join(f"{indent}/// {l}\n" for l in lines)


class Generator:
    def __init__(self, spec):
        self.spec = spec
        self.resources = spec["resources"]
        self.structs = {}      # name -> (fields, owner file, doc)
        self.enums = {}        # name -> (values, owner file)
        self.model_sigs = {}   # signature without remote_data -> model name
        self.uses = {}         # type name -> set of files using it
        for r in self.resources:
            model = SINGULAR[r["name"]]
            fields = [f for f in r["fields"] if f["name"] != "remote_data"]
            self.model_sigs[self.deep_sig(fields)] = model

    def deep_sig(self, fields):
        return ";".join(f"{f['name']}:{f['type']}" + ("{" + self.deep_sig(f["fields"]) + "}"
                                                         if f.get("fields") else "")
                        for f in fields)

    def enum_type(self, values, owner, field, file):
        key = ",".join(values)
        name = ENUM_NAMES.get(key) or f"{owner}_{field}".replace("_type", "_kind")
        if name in self.enums and sorted(self.enums[name][0]) != sorted(values):
            name = f"{owner}_{field}"
        if name == field:  # a member may not share its name with its type
            name += "_kind"
        self.enums.setdefault(name, (values, file))
        self.uses.setdefault(name, set()).add(file)
        return name

    def struct_type(self, fields, owner, field, file, array):
        names = [f["name"] for f in fields]
        if names == ["id"]:
            return "record_ref"
        if names == ["id", "name"]:
            return "named_ref"
        reused = self.model_sigs.get(self.deep_sig(fields))
        if reused and reused != owner:
            self.uses.setdefault("model:" + reused, set()).add(file)
            return reused
        name = SHAPE_NAMES.get(signature(fields))
        if not name:
            base = field[:-1] if array and field.endswith("s") else field
            name = f"{owner}_{base}"
        if name not in self.structs:
            self.structs[name] = (fields, file)
        self.uses.setdefault(name, set()).add(file)
        return name

    def cpp_type(self, f, owner, file, context):
        """C++ type of field `f` (without optional) and a note for its comment."""
        t, note = f["type"], []
        if f.get("name_confirmed") is False:
            note.append("Key name inferred from the docs, not confirmed.")
        if f.get("status") in ("unknown", "name_unknown"):
            note.append("Not determinable from the docs.")
        if f.get("enum") and t == "string":
            if context == "body" and f["name"] == "stage_id":
                note.append("SmartRecruiters takes one of " + ", ".join(f["enum"]) +
                            " (sic); elsewhere a provider stage id.")
                return "std::string", note
            return f"open_enum<{self.enum_type(f['enum'], owner, f['name'], file)}>", note
        if t == "string":
            return "std::string", note
        if t == "boolean":
            return "bool", note
        if t == "integer":
            return "std::int64_t", note
        if t == "number":
            return "double", note
        if t == "datetime":
            if context == "query":
                return "date_filter", note
            return "timestamp", note
        if t == "binary":
            return "file_part", note
        if t == "object":
            if f.get("fields"):
                return self.struct_type(f["fields"], owner, f["name"], file, False), note
            if context == "query":
                return "boost::json::object", note
            return "json::raw_json", note
        if t == "array<object>":
            if f.get("fields"):
                return "std::vector<" + self.struct_type(f["fields"], owner, f["name"], file,
                                                         True) + ">", note
            note.append("Element shape not documented: kept verbatim.")
            return "std::vector<json::raw_json>", note
        if t in ("array<string>", "array"):
            return "std::vector<std::string>", note
        if t == "array<string>|array<object>":
            note.append("Documented as strings or objects: give a JSON array.")
            return "json::raw_json", note
        if t == "unknown":
            note.append("Type not documented: kept verbatim." if context != "query" else
                        "Type not documented; sent as text.")
            return ("std::string" if context == "query" else "json::raw_json"), note
        raise SystemExit(f"unmapped type {t} in {owner}.{f['name']}")

    def members(self, fields, owner, file, context, all_optional=False):
        out, names = [], []
        for f in fields:
            if f.get("status") == "name_unknown":
                continue
            typ, note = self.cpp_type(f, owner, file, context)
            doc = f.get("description", "")
            req = [x for x in f.get("required_in", [])]
            if req:
                doc += ". Required by " + ", ".join(req)
            if note:
                doc += ". " + " ".join(note)
            required = f.get("required") and not all_optional
            member = typ if required else f"std::optional<{typ}>"
            if context == "query" and typ == "boost::json::object":
                member = typ
            out.append(comment(doc.strip(". ") + ".") + f"  {member} {ident(f['name'])};\n")
            names.append(ident(f["name"]))
        return out, names

    @staticmethod
    def describe(name, names):
        body = ", ".join(names)
        return f"  BOOST_DESCRIBE_CLASS({name}, (), ({body}), (), ())\n"

    def struct_text(self, name, fields, owner, file, doc, context="model", all_optional=False):
        mem, names = self.members(fields, owner, file, context, all_optional)
        return (comment(doc, "") + f"struct {name} {{\n" + "".join(mem) +
                self.describe(name, names) + "};\n")

    def enum_text(self, name, values):
        ids = [ident(v.lower()) if re.fullmatch(r"[a-z_][a-z0-9_]*", v) else None for v in values]
        if None in ids:
            raise SystemExit(f"enum {name} has values that are not identifiers: {values}")
        return (f"/// Values of `{name}` known to the spec; `open_enum` keeps others.\n"
                f"enum class {name} {{ {', '.join(ids)} }};\n"
                f"BOOST_DESCRIBE_ENUM({name}, {', '.join(ids)})\n")

    def run(self):
        files = {}
        for r in self.resources:
            files[r["name"]] = self.resource_file(r)
        # Nested structs are emitted in dependency order: generate their texts (which may add more).
        emitted, shared_text, local_text = set(), [], {}
        order = []

        def emit(name):
            if name in emitted:
                return
            emitted.add(name)
            fields, file = self.structs[name]
            owner = name
            shared = len(self.uses.get(name, ())) > 1
            doc = ("A shape several ATS records share." if shared else
                   f"Used by `{file}` records.")
            text = self.struct_text(name, fields, owner.split("_")[0], file, doc)
            for dep in re.findall(r"\b([a-z_]+)\b", text):
                if dep in self.structs and dep != name:
                    emit(dep)
            order.append((name, text))

        for name in list(self.structs):
            emit(name)
        for name, text in order:
            users = self.uses.get(name, set())
            if len(users) > 1:
                shared_text.append(text)
            else:
                local_text.setdefault(next(iter(users)), []).append(text)
        shared_enums, local_enums = [], {}
        for name, (values, file) in sorted(self.enums.items()):
            users = self.uses.get(name, set())
            text = self.enum_text(name, values)
            if len(users) > 1:
                shared_enums.append(text)
            else:
                local_enums.setdefault(next(iter(users)), []).append(text)
        self.write("types.hpp", self.types_header(shared_enums, shared_text))
        for r in self.resources:
            model = SINGULAR[r["name"]]
            body = files[r["name"]]
            deps = sorted(u[6:] for u, fs in self.uses.items()
                          if u.startswith("model:") and r["name"] in fs)
            self.write(f"{model}.hpp", self.resource_header(
                r, body, local_enums.get(r["name"], []), local_text.get(r["name"], []), deps))
        self.write("all.hpp", self.all_header())

    def resource_file(self, r):
        """The model, params, bodies and descriptors of resource `r` (texts)."""
        model = SINGULAR[r["name"]]
        file = r["name"]
        doc = r.get("description", "")
        if r.get("fields_complete") is False:
            doc += " The docs list only part of this resource's fields; unknown keys are ignored."
        if r.get("fields_note"):
            doc += " " + r["fields_note"]
        texts = [self.struct_text(model, r["fields"], model, file, doc)]
        descriptor = [f"/// The `{r['name']}` resource.\nstruct {r['name']}_resource {{\n",
                      f"  static constexpr std::string_view name = \"{r['name']}\";\n",
                      f"  static constexpr std::string_view path = \"/unified/ats/{r['name']}\";\n",
                      f"  using model = {model};\n"]
        customs = []
        for m in r["methods"]:
            q = [x for x in m.get("query", [])]
            unknown = [x for x in q if x.get("status") == "name_unknown"]
            q = [x for x in q if x.get("status") != "name_unknown"]
            mname = m["name"].replace("-", "_")
            params = "no_params"
            if q:
                params = f"{model}_{mname}_params"
                pdoc = f"Query parameters of `{m['http']} {m['path']}`."
                if unknown:
                    pdoc += (" One more parameter is documented whose name is not visible in the"
                             " docs; pass it through `remote_query` or a raw request.")
                for x in m.get("query", []):
                    if x.get("notes"):
                        pdoc += " " + x["notes"]
                texts.append(self.struct_text(params, q, model, file, pdoc, "query", True))
            elif unknown:
                texts.append(f"// `{m['http']} {m['path']}` documents one query parameter whose "
                             "name is not visible in the docs; it is not modelled.\n")
            body = [x for x in m.get("body", [])]
            if m["name"] == "list":
                descriptor.append(f"  using list_query = truto::list_query<{params}>;\n")
            elif m["name"] == "get":
                descriptor.append(f"  using get_query = truto::request_query<{params}>;\n")
            elif m["name"] == "create":
                bname = f"{model}_create_body"
                bdoc = f"Body of `{m['http']} {m['path']}`"
                bdoc += " (multipart/form-data)." if any(b["type"] == "binary" for b in body) \
                    else " (JSON)."
                if m.get("notes"):
                    bdoc += " " + m["notes"]
                texts.append(self.struct_text(bname, body, model, file, bdoc, "body", True))
                descriptor.append(f"  using create_body = {bname};\n")
                descriptor.append(f"  using create_query = truto::request_query<{params}>;\n")
            else:
                customs.append(self.custom_method(r, m, model, params, body, texts, file))
        descriptor.append("};\n")
        descriptor.append(f"inline constexpr {r['name']}_resource {r['name']}{{}};\n")
        return {"texts": texts, "descriptor": "".join(descriptor), "customs": customs,
                "model": model}

    def custom_method(self, r, m, model, params, body, texts, file):
        mname = m["name"].replace("-", "_")
        bname = f"{model}_{mname}_body"
        texts.append(self.struct_text(bname, body, model, file,
                                      f"Body of `{m['http']} {m['path']}` (JSON).", "body", True))
        kind = m.get("response", {}).get("kind")
        if kind == "binary_or_object":
            response = "binary_response"
            rdoc = "Answers with the file's bytes (use `download`)."
        else:
            response = SINGULAR[m["response"]["item"]]
            rdoc = (f"Answers with the `{response}`, bare or wrapped in {{\"result\": ...}} (the"
                    " docs disagree; the client accepts both).")
        name = f"{r['name']}_{mname}"
        return (f"/// `{m['http']} {m['path']}`. {rdoc}\n"
                f"struct {name}_method {{\n"
                f"  static constexpr std::string_view name = \"{m['name']}\";\n"
                f"  static constexpr std::string_view resource = \"{r['name']}\";\n"
                f"  static constexpr std::string_view path = \"{m['path']}\";\n"
                f"  static constexpr http_method verb = http_method::{m['http'].lower()};\n"
                f"  using query = truto::request_query<{params}>;\n"
                f"  using body = {bname};\n"
                f"  using response = {response};\n"
                f"}};\n"
                f"inline constexpr {name}_method {name}{{}};\n")

    HEADER = ("// uniapi — Truto Unified ATS: {what}.\n"
              "// Generated by scripts/gen_truto_models.py from unified-ats.json; do not edit.\n"
              "#ifndef {guard}\n#define {guard}\n\n")

    def types_header(self, enums, structs):
        g = "UNIAPI_TRUTO_ATS_TYPES_HPP"
        return (self.HEADER.format(what="types shared by several resources", guard=g) +
                "#include <uniapi/json/raw_json.hpp>\n#include <uniapi/core/open_enum.hpp>\n"
                "#include <uniapi/core/timestamp.hpp>\n\n"
                "#include <boost/describe/class.hpp>\n#include <boost/describe/enum.hpp>\n\n"
                "#include <cstdint>\n#include <optional>\n#include <string>\n#include <vector>\n\n"
                "namespace uniapi::truto::ats {\n\n"
                "/// A reference to another record: `{\"id\": \"...\"}`.\n"
                "struct record_ref {\n  std::optional<std::string> id;\n"
                "  BOOST_DESCRIBE_CLASS(record_ref, (), (id), (), ())\n};\n\n"
                "/// A reference with a display name: `{\"id\": \"...\", \"name\": \"...\"}`.\n"
                "struct named_ref {\n  std::optional<std::string> id;\n"
                "  std::optional<std::string> name;\n"
                "  BOOST_DESCRIBE_CLASS(named_ref, (), (id, name), (), ())\n};\n\n" +
                "\n".join(enums) + "\n" + "\n".join(structs) +
                "\n}  // namespace uniapi::truto::ats\n\n#endif\n")

    def resource_header(self, r, body, enums, structs, deps):
        model = body["model"]
        g = f"UNIAPI_TRUTO_ATS_{model.upper()}_HPP"
        inc = "".join(f"#include <uniapi/truto/ats/{d}.hpp>\n" for d in deps)
        # (Each descriptor's concept check is in tests/all_resources.cpp, not here: every file
        # that includes the models would pay for the checks.)
        return (self.HEADER.format(what=r["name"], guard=g) +
                "#include <uniapi/core/file_part.hpp>\n#include <uniapi/json/raw_json.hpp>\n"
                "#include <uniapi/core/open_enum.hpp>\n#include <uniapi/client/resource.hpp>\n"
                "#include <uniapi/core/timestamp.hpp>\n" + inc +
                "#include <uniapi/truto/ats/types.hpp>\n#include <uniapi/truto/query.hpp>\n\n"
                "#include <boost/describe/class.hpp>\n#include <boost/describe/enum.hpp>\n"
                "#include <boost/json/object.hpp>\n\n"
                "#include <cstdint>\n#include <optional>\n#include <string>\n"
                "#include <string_view>\n#include <vector>\n\n"
                "namespace uniapi::truto::ats {\n\n" +
                "\n".join(enums) + ("\n" if enums else "") +
                "\n".join(structs) + ("\n" if structs else "") +
                "\n".join(body["texts"]) + "\n" + body["descriptor"] + "\n" +
                "\n".join(body["customs"]) + ("\n" if body["customs"] else "") +
                "\n}  // namespace uniapi::truto::ats\n\n#endif\n")

    def all_header(self):
        g = "UNIAPI_TRUTO_ATS_ALL_HPP"
        inc = "".join(f"#include <uniapi/truto/ats/{SINGULAR[r['name']]}.hpp>\n"
                      for r in self.resources)
        res = ",\n                                 ".join(f"{r['name']}_resource"
                                                         for r in self.resources)
        customs = []
        for r in self.resources:
            for m in r["methods"]:
                if m["name"] not in ("list", "get", "create"):
                    customs.append(f"{r['name']}_{m['name'].replace('-', '_')}_method")
        cus = ",\n                                      ".join(customs)
        return (self.HEADER.format(what="every resource", guard=g) + inc +
                "\n#include <tuple>\n\nnamespace uniapi::truto::ats {\n\n"
                "/// Every ATS resource descriptor, for code that works over all of them.\n"
                f"using all_resources = std::tuple<{res}>;\n\n"
                "/// Every ATS custom-method descriptor.\n"
                f"using all_custom_methods = std::tuple<{cus}>;\n\n"
                "}  // namespace uniapi::truto::ats\n\n#endif\n")

    def write(self, name, text):
        path = os.path.join(OUT, name)
        with open(path, "w") as f:
            f.write(text)
        # Layout follows the repository's .clang-format, as for hand-written code.
        subprocess.run([clang_format(), "-i", "--style=file:" + os.path.join(ROOT, ".clang-format"),
                        path], check=True)


def clang_format():
    for name in ("clang-format-14", "clang-format"):
        if shutil.which(name):
            return name
    raise SystemExit("clang-format 14 is needed (Debian package clang-format-14)")


def check(spec):
    """Generates into a scratch directory; returns the committed files that differ."""
    global OUT
    differ = []
    with tempfile.TemporaryDirectory() as scratch:
        OUT = scratch
        Generator(spec).run()
        names = sorted(set(os.listdir(scratch)) | set(os.listdir(COMMITTED)))
        for name in names:
            new_path, old_path = os.path.join(scratch, name), os.path.join(COMMITTED, name)
            new = open(new_path).read().splitlines(True) if os.path.exists(new_path) else []
            old = open(old_path).read().splitlines(True) if os.path.exists(old_path) else []
            if new != old:
                differ.append(name)
                sys.stdout.writelines(difflib.unified_diff(
                    old, new, "committed/" + name, "generated/" + name))
    return differ


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        raise SystemExit(__doc__)
    with open(args[0] if args else os.path.join(ROOT, "shared", "truto", "unified-ats.json")) as f:
        spec = json.load(f)
    if "--check" in sys.argv:
        differ = check(spec)
        if differ:
            print("generated headers differ from the committed ones: " + ", ".join(differ) +
                  "\nrun scripts/gen_truto_models.py and commit the result", file=sys.stderr)
            sys.exit(1)
        print("the committed ATS headers are what scripts/gen_truto_models.py generates")
        return
    Generator(spec).run()


if __name__ == "__main__":
    main()
