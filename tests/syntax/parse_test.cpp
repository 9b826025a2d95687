// The parser on valid input: the reference example, the shape of the tree it builds, spans,
// comments, string decoding and the AST dump.
#include <catch2/catch.hpp>

#include <functional>

#include "parse_helpers.hpp"
#include "support/overloaded.hpp"

using namespace deployc;
using test::as;
using test::find;

namespace {

std::string arg_text(const ast::Arg& a) {
  std::string key = a.key ? std::string(a.key->text()) + "=" : std::string();
  return std::visit(overloaded{[&](const ast::Number& n) { return key + std::string(n.text); },
                               [&](const ast::Ident& i) { return key + std::string(i.text()); },
                               [&](const ast::String&) { return key + "<string>"; },
                               [&](const ast::List&) { return key + "<list>"; }},
                    a.value.node);
}

std::vector<std::string> args_of(const ast::Setting& s) {
  std::vector<std::string> out;
  for (const ast::Arg& a : s.args) out.push_back(arg_text(a));
  return out;
}

const ast::Setting& setting(std::span<const ast::Stmt> stmts, const std::string& keyword) {
  const ast::Stmt* s = find<ast::Setting>(stmts, keyword);
  REQUIRE(s != nullptr);
  return *as<ast::Setting>(*s);
}

/// The service setting whose first argument is `name`.
const ast::Setting& service(const ast::File& file, const std::string& name) {
  for (const ast::Stmt& s : file.stmts) {
    const auto* st = as<ast::Setting>(s);
    if (st && st->keyword.text() == "service" && !st->args.empty() &&
        arg_text(st->args[0]) == name) {
      return *st;
    }
  }
  FAIL("no service " << name);
  throw;
}

}  // namespace

TEST_CASE("the acme-shop example parses without diagnostics") {
  auto p = test::parse_example("examples/acme-shop/app.deploy");
  for (const auto& d : p->located())
    UNSCOPED_INFO(d.code << " " << d.line << ":" << d.column << " " << d.message);
  REQUIRE(p->diags.unsorted().empty());
  const ast::File& f = p->file;

  // 4 params, 2 flags, project, network, 3 sections, 2 services.
  CHECK(f.stmts.size() == 13);

  SECTION("params and flags keep their types, defaults and doc comments") {
    const ast::Stmt* slug = find<ast::Param>(f.stmts, "project_slug");
    REQUIRE(slug);
    const auto& param = *as<ast::Param>(*slug);
    CHECK(param.type->name.text() == "string");
    REQUIRE(param.default_value);
    const auto& def = std::get<ast::String>(param.default_value->node);
    REQUIRE(def.parts.size() == 1);
    CHECK(std::get<std::string_view>(def.parts[0]) == "acme_shop");
    REQUIRE(slug->doc.size() == 1);
    CHECK(slug->doc[0].text == "Slug used for container, network and project names");

    const ast::Stmt* sentry = find<ast::Flag>(f.stmts, "include_sentry");
    REQUIRE(sentry);
    REQUIRE(as<ast::Flag>(*sentry)->default_value);
    CHECK(std::get<ast::Ident>(as<ast::Flag>(*sentry)->default_value->node).text() == "false");
  }

  SECTION("env declarations: url schemes, enum members, modifiers and bodies") {
    const auto& required = setting(f.stmts, "section");
    REQUIRE(required.body);
    const ast::Stmt* db = find<ast::EnvDecl>(required.body->stmts, "DATABASE_URL");
    REQUIRE(db);
    const auto& env = *as<ast::EnvDecl>(*db);
    CHECK(env.type->name.text() == "url");
    REQUIRE(env.type->args.size() == 1);
    CHECK(env.type->args[0].name.text() == "postgresql+asyncpg");
    REQUIRE(env.args.size() == 1);
    CHECK(arg_text(env.args[0]) == "secret");
    REQUIRE(env.body);
    CHECK(setting(env.body->stmts, "example").args.size() == 1);
    CHECK(db->doc.size() == 3);

    // LOG_LEVEL sits in the third group of the second section.
    const ast::Stmt* optional = nullptr;
    for (const ast::Stmt& s : f.stmts) {
      const auto* st = as<ast::Setting>(s);
      if (st && st->keyword.text() == "section" && st->body && st->body->stmts.size() == 6) {
        optional = &s;
      }
    }
    REQUIRE(optional);
    const auto& groups = as<ast::Setting>(*optional)->body->stmts;
    const auto& api = *as<ast::Setting>(groups[2]);
    REQUIRE(api.body);
    const ast::Stmt* level = find<ast::EnvDecl>(api.body->stmts, "LOG_LEVEL");
    REQUIRE(level);
    const auto& lt = *as<ast::EnvDecl>(*level)->type;
    CHECK(lt.name.text() == "enum");
    REQUIRE(lt.args.size() == 4);
    CHECK(lt.args[3].name.text() == "error");
    CHECK(std::get<ast::Ident>(as<ast::EnvDecl>(*level)->default_value->node).text() == "info");

    const ast::Stmt* sentry_when = find<ast::When>(groups, "include_sentry");
    REQUIRE(sentry_when);
    CHECK_FALSE(as<ast::When>(*sentry_when)->negated);
  }

  SECTION("services: positional and keyed args, quantities, nested when") {
    const auto& backend = service(f, "backend");
    REQUIRE(backend.body);
    const auto& body = backend.body->stmts;
    CHECK(args_of(setting(body, "image")) ==
          std::vector<std::string>{"repo=BACKEND_IMAGE", "tag=IMAGE_TAG"});
    CHECK(args_of(setting(body, "limits")) ==
          std::vector<std::string>{"cpu=1.0", "memory=512M", "tunable"});
    CHECK(args_of(setting(body, "restart_policy")) ==
          std::vector<std::string>{"on-failure", "delay=5s", "max_attempts=3", "window=120s"});

    const auto& health = setting(body, "health");
    REQUIRE(health.args.size() == 7);
    CHECK(health.args[2].key->text() == "path");
    const auto& path = std::get<ast::String>(health.args[2].value.node);
    REQUIRE(path.parts.size() == 2);
    CHECK(std::get<ast::Substitution>(path.parts[0]).name.text() == "backend_api_prefix");
    CHECK(std::get<std::string_view>(path.parts[1]) == "/health");

    const auto& environment = setting(body, "environment");
    REQUIRE(environment.body);
    const auto& env_ref = setting(environment.body->stmts, "ENV");
    REQUIRE(env_ref.assigned);
    CHECK(env_ref.args.empty());
    const auto& level = setting(environment.body->stmts, "LOG_LEVEL");
    CHECK_FALSE(level.assigned);
    CHECK(level.args.empty());
    const ast::Stmt* when = find<ast::When>(environment.body->stmts, "include_observability");
    REQUIRE(when);
    CHECK(as<ast::When>(*when)->body.stmts.size() == 2);

    CHECK(args_of(setting(service(f, "frontend").body->stmts, "depends_on")) ==
          std::vector<std::string>{"backend", "healthy"});
  }

  SECTION("every comment is kept in order; `##` ones are marked as doc") {
    REQUIRE(f.comments.size() > 20);
    for (std::size_t i = 1; i < f.comments.size(); ++i) {
      CHECK(f.comments[i - 1].span.begin < f.comments[i].span.begin);
    }
    CHECK_FALSE(f.comments.front().is_doc);
    CHECK(f.comments.front().text.rfind("acme-shop:", 0) == 0);
    CHECK(std::count_if(f.comments.begin(), f.comments.end(),
                        [](const ast::Comment& c) { return c.is_doc; }) == 27);
  }
}

namespace {

void check_value_spans(const ast::Value& v, const Span& parent) {
  CHECK(v.span().begin >= parent.begin);
  CHECK(v.span().end <= parent.end);
  if (const auto* list = std::get_if<ast::List>(&v.node)) {
    for (const ast::Value& item : list->items) check_value_spans(item, v.span());
  }
  if (const auto* str = std::get_if<ast::String>(&v.node)) {
    for (const auto& part : str->parts) {
      if (const auto* sub = std::get_if<ast::Substitution>(&part)) {
        CHECK(sub->name.span.begin > v.span().begin);
        CHECK(sub->name.span.end < v.span().end);
      }
    }
  }
}

void check_type_spans(const ast::TypeExpr& t, const Span& parent) {
  CHECK(t.span.begin >= parent.begin);
  CHECK(t.span.end <= parent.end);
  for (const ast::TypeExpr& a : t.args) check_type_spans(a, t.span);
}

void check_stmt_spans(const ast::Stmt& s, const Span& parent, std::string_view text) {
  INFO("statement at byte " << s.span.begin);
  CHECK(s.span.begin <= s.span.end);
  CHECK(s.span.begin >= parent.begin);
  CHECK(s.span.end <= parent.end);
  CHECK(s.span.end <= text.size());
  auto block = [&](const ast::Block& b) {
    CHECK(b.span.begin >= s.span.begin);
    CHECK(b.span.end <= s.span.end);
    CHECK(text.substr(b.span.begin, 1) == "{");
    CHECK(text.substr(b.span.end - 1, 1) == "}");
    for (const ast::Stmt& c : b.stmts) check_stmt_spans(c, b.span, text);
  };
  auto args = [&](std::span<const ast::Arg> list) {
    for (const ast::Arg& a : list) {
      CHECK(a.span().begin >= s.span.begin);
      CHECK(a.span().end <= s.span.end);
      check_value_spans(a.value, a.span());
      if (a.key) CHECK(a.key->span.begin == a.span().begin);
    }
  };
  std::visit(
      overloaded{[&](const ast::Import& n) { check_value_spans(ast::Value{n.path}, s.span); },
                 [&](const ast::Param& n) {
                   check_type_spans(*n.type, s.span);
                   if (n.default_value) check_value_spans(*n.default_value, s.span);
                 },
                 [&](const ast::Flag& n) {
                   if (n.default_value) check_value_spans(*n.default_value, s.span);
                 },
                 [&](const ast::EnvDecl& n) {
                   check_type_spans(*n.type, s.span);
                   if (n.default_value) check_value_spans(*n.default_value, s.span);
                   args(n.args);
                   if (n.body) block(*n.body);
                 },
                 [&](const ast::When& n) { block(n.body); },
                 [&](const ast::Setting& n) {
                   CHECK(n.keyword.span.begin == s.span.begin);
                   if (n.assigned) check_value_spans(*n.assigned, s.span);
                   args(n.args);
                   if (n.body) block(*n.body);
                 }},
      s.node);
}

}  // namespace

TEST_CASE("spans lie inside the file and children inside their parents") {
  auto p = test::parse_example("examples/acme-shop/app.deploy");
  const std::string_view text = p->sources.text(p->id);
  const Span whole{p->id, 0, static_cast<std::uint32_t>(text.size())};
  for (const ast::Stmt& s : p->file.stmts) check_stmt_spans(s, whole, text);
  for (const ast::Comment& c : p->file.comments) {
    CHECK(text.substr(c.span.begin, 1) == "#");
    CHECK(c.span.end <= text.size());
  }
  // A statement span starts at its first token and ends at its last one.
  const ast::Stmt* slug = find<ast::Param>(p->file.stmts, "project_slug");
  REQUIRE(slug);
  CHECK(p->sources.text(slug->span) == "param project_slug: string = \"acme_shop\"");
}

TEST_CASE("strings are decoded into literal parts and substitutions") {
  auto p = test::parse_text(R"(s "a\"b\\c\nd\te \{x\} {{y}} {name}!")"
                            "\n");
  REQUIRE(p->diags.unsorted().empty());
  const auto& s = *as<ast::Setting>(p->file.stmts.at(0));
  const auto& str = std::get<ast::String>(s.args.at(0).value.node);
  REQUIRE(str.parts.size() == 3);
  CHECK(std::get<std::string_view>(str.parts[0]) == "a\"b\\c\nd\te {x} {y} ");
  CHECK(std::get<ast::Substitution>(str.parts[1]).name.text() == "name");
  CHECK(std::get<std::string_view>(str.parts[2]) == "!");
}

TEST_CASE("statements end at line ends, `;`, comments and `}`") {
  auto p = test::parse_text("network main { name \"n\"; driver bridge }\na b # c\nd e;f g\n");
  REQUIRE(p->diags.unsorted().empty());
  REQUIRE(p->file.stmts.size() == 4);
  const auto& net = *as<ast::Setting>(p->file.stmts[0]);
  REQUIRE(net.body);
  CHECK(net.body->stmts.size() == 2);
  CHECK(p->file.comments.size() == 1);
}

TEST_CASE("lists span lines, allow a trailing comma and nest") {
  auto p = test::parse_text("hosts [\n  a, # first\n  \"b\",\n  [1m30s, 512M],\n]\n");
  REQUIRE(p->diags.unsorted().empty());
  const auto& s = *as<ast::Setting>(p->file.stmts.at(0));
  const auto& list = std::get<ast::List>(s.args.at(0).value.node);
  REQUIRE(list.items.size() == 3);
  CHECK(std::get<ast::List>(list.items[2].node).items.size() == 2);
  CHECK(p->file.comments.size() == 1);  // seen once although the list looks past it twice
}

TEST_CASE("doc comments attach only to the statement directly below") {
  auto p = test::parse_text(
      "## one\n## two\nparam a: int\n"
      "## detached\n\nparam b: int\n"
      "param c: int ## trailing\nparam d: int\n"
      "# plain\nparam e: int\n"
      "s {\n  ## inner\n  x y\n}\n");
  REQUIRE(p->diags.unsorted().empty());
  const auto& st = p->file.stmts;
  REQUIRE(st.size() == 6);
  REQUIRE(st[0].doc.size() == 2);
  CHECK(st[0].doc[0].text == "one");
  CHECK(st[0].doc[1].text == "two");
  CHECK(st[1].doc.empty());
  CHECK(st[3].doc.empty());
  CHECK(st[4].doc.empty());
  const auto& inner = as<ast::Setting>(st[5])->body->stmts.at(0);
  REQUIRE(inner.doc.size() == 1);
  CHECK(inner.doc[0].text == "inner");
  CHECK(p->file.comments.size() == 6);
}

TEST_CASE("a byte-order mark and CRLF line ends are accepted") {
  auto p = test::parse_text("\xEF\xBB\xBF## doc\r\nparam x: int = 1\r\ns {\r\n  a b\r\n}\r\n");
  REQUIRE(p->diags.unsorted().empty());
  REQUIRE(p->file.stmts.size() == 2);
  REQUIRE(p->file.stmts[0].doc.size() == 1);
  CHECK(p->file.stmts[0].doc[0].text == "doc");  // no `\r` left in the text
  CHECK(p->sources.text(p->file.stmts[0].span) == "param x: int = 1");
}

TEST_CASE("the dump is deterministic and pins the tree") {
  const std::string source =
      "## the slug\n"
      "param slug: string = \"s-{x}\"\n"
      "env LEVEL: enum(a|b) = a optional\n"
      "when !f {\n"
      "  svc web { limits cpu=0.5 tunable; ENV = [1, \"x\"] }\n"
      "}\n";
  auto p = test::parse_text(source);
  REQUIRE(p->diags.unsorted().empty());
  const std::string first = syntax::dump(p->file, p->sources);
  auto again = test::parse_text(source);
  CHECK(syntax::dump(again->file, again->sources) == first);
  CHECK(first ==
        "File test.deploy\n"
        "  Param slug: string @2:1-2:29\n"
        "    doc \"the slug\"\n"
        "    default \"s-{x}\" @2:22-2:29\n"
        "  EnvDecl LEVEL: enum(a|b) @3:1-3:34\n"
        "    default a @3:24-3:25\n"
        "    arg optional @3:26-3:34\n"
        "  When !f @4:1-6:2\n"
        "    block @4:9-6:2\n"
        "      Setting svc @5:3-5:53\n"
        "        arg web @5:7-5:10\n"
        "        block @5:11-5:53\n"
        "          Setting limits @5:13-5:35\n"
        "            arg cpu=0.5 @5:20-5:27\n"
        "            arg tunable @5:28-5:35\n"
        "          Setting ENV @5:37-5:51\n"
        "            = [1, \"x\"] @5:43-5:51\n"
        "  DocComment \"the slug\" @1:1-1:12\n");
}
