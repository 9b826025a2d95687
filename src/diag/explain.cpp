#include "diag/explain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "diag/suggest.hpp"

namespace deployc::diag {

namespace {

// One entry per code of codes.def, in the same order. Examples are whole specs: the test
// compiles each wrong one (it must report the code) and each right one (it must not). A first
// line `# deployc build -D name=value` gives the example's -D values.
const std::vector<Explanation> kExplanations = {
    // ---- D00xx internal ----
    {"D0001",
     R"~(A stage of the compiler failed in a way it never should: an exception escaped from the
parser, the checker, lowering or an emitter. The spec may be fine; the compiler is not.)~",
     R"~(Nothing was written, so no half-built file can be deployed, but the spec cannot be
compiled until the bug is fixed. Please report it with the spec (or the smallest part of it
that still fails) and the exact command line.)~",
     R"~($ deployc build app.deploy
deployc: error[D0001]: internal compiler error: …)~",
     R"~($ deployc --version      # include this, the spec and the command in the report)~", false},

    // ---- D01xx syntax ----
    {"D0100",
     R"~(The parser reached a state its grammar says is impossible. It is an internal error of the
syntax stage, reported instead of crashing.)~",
     R"~(The file cannot be parsed until the bug is fixed. Please report it with the spec.)~",
     R"~($ deployc build app.deploy
error[D0100]: internal: unexpected parser state)~",
     R"~($ deployc --version      # include this and the spec in the report)~", false},
    {"D0101",
     R"~(A line starts with something that cannot begin a statement. Statements start with a
keyword (`project`, `service`, `env`, `when`, …) or, inside `environment`, with a variable
name.)~",
     R"~(The parser cannot know what the line was meant to declare, so it skips to the next line;
what that line declared is missing from the output until it is fixed.)~",
     R"~(project "shop"
= "value")~",
     R"~(project "shop"
flag sentry = false)~"},
    {"D0102",
     R"~(A statement is complete, but more text follows it on the same line. Each statement ends
at the end of its line (or at the `}` of its block).)~",
     R"~(The extra text is usually a second value that was meant to be somewhere else, or a
missing `#` before a comment; guessing would silently drop it.)~",
     R"~(flag sentry = false true
project "shop")~",
     R"~(flag sentry = false  # true in production
project "shop")~"},
    {"D0103",
     R"~(A block opened with `{` reaches the end of the file, or a statement that cannot be in it,
before its closing `}`.)~",
     R"~(Everything after the opening brace would belong to the block: services would nest in
services. The error points at the block that is still open.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27")~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
})~"},
    {"D0104",
     R"~(A string has no closing quote before the end of its line. Strings are one line; write
`\n` for a line break inside one.)~",
     R"~(The rest of the line, and any `#` comment on it, would become part of the value.)~",
     R"~(project "shop)~", R"~(project "shop")~"},
    {"D0105",
     R"~(A backslash in a string is followed by a character that is not an escape. Strings know
`\"`, `\\`, `\n`, `\t` and `\$`; `{{` and `}}` write literal braces.)~",
     R"~(Other languages give `\q` different meanings (kept, dropped, an error); the compiler
refuses to guess which one was intended.)~",
     R"~(project "shop\q")~", R"~(project "shop\\q")~"},
    {"D0106",
     R"~(`{` in a string starts a compile-time substitution of a param, `{name}`, and no param
name follows it.)~",
     R"~(A stray brace is almost always a typo in a substitution, or a literal brace that should
be written `{{`.)~",
     R"~(param slug: string = "shop"
project "demo-{ slug}")~",
     R"~(param slug: string = "shop"
project "demo-{slug}")~"},
    {"D0107", R"~(A substitution `{name` in a string is not closed by `}`.)~",
     R"~(The compiler cannot tell where the param name ends and literal text resumes.)~",
     R"~(param slug: string = "shop"
project "demo-{slug")~",
     R"~(param slug: string = "shop"
project "demo-{slug}")~"},
    {"D0108", R"~(A `}` in a string closes no substitution. A literal brace is written `}}`.)~",
     R"~(A lone `}` usually means the opening `{` of a substitution was lost; treating it as text
would hide that.)~",
     R"~(project "shop}")~", R"~(project "shop")~"},
    {"D0109", R"~(`import` is followed by something other than a quoted module path.)~",
     R"~(Module paths are strings so that `/` and `.` in them need no special rules.)~",
     R"~(import std/logging
project "shop")~",
     R"~(import "std/logging"
project "shop")~"},
    {"D0110",
     R"~(A declaration keyword (`param`, `flag`, `env`, `service`, …) is not followed by the name
it declares.)~",
     R"~(Everything else refers to declarations by name; a nameless one could never be used.)~",
     R"~(param : string = "x"
project "shop")~",
     R"~(param slug: string = "x"
project "{slug}")~"},
    {"D0111", R"~(A `param` or `env` name is not followed by `:` and its type.)~",
     R"~(Types are what let the compiler check every value and default; they are never
guessed.)~",
     R"~(param slug string = "x"
project "{slug}")~",
     R"~(param slug: string = "x"
project "{slug}")~"},
    {"D0112",
     R"~(A `:` after a declaration's name is not followed by a type such as `string`, `port`,
`url<https>` or `enum(a|b)`.)~",
     R"~(Without a type the value cannot be checked, and the env example cannot describe it.)~",
     R"~(param slug: = "x"
project "{slug}")~",
     R"~(param slug: string = "x"
project "{slug}")~"},
    {"D0113",
     R"~(A type's `<…>` arguments are empty or start with something that is not a name:
`url<>`, `list<>`.)~",
     R"~(`url<>` would accept no scheme at all, and `list<>` has no element type to check.)~",
     R"~(project "shop"
section "Configuration" {
  env ENDPOINT: url<> optional
})~",
     R"~(project "shop"
section "Configuration" {
  env ENDPOINT: url<https> optional
}
service web {
  image "nginx:1.27"
  environment {
    ENDPOINT
  }
})~"},
    {"D0114", R"~(The arguments of a type are not closed by `>`, or are not separated by `,`.)~",
     R"~(What follows would be read as more type arguments.)~",
     R"~(project "shop"
section "Configuration" {
  env ENDPOINT: url<https optional
})~",
     R"~(project "shop"
section "Configuration" {
  env ENDPOINT: url<https> optional
}
service web {
  image "nginx:1.27"
  environment {
    ENDPOINT
  }
})~"},
    {"D0115", R"~(An `enum(…)` type has no member, or a member that is not a plain word.)~",
     R"~(An enum with no members accepts no value at all.)~",
     R"~(project "shop"
section "Configuration" {
  env LEVEL: enum() = info
})~",
     R"~(project "shop"
section "Configuration" {
  env LEVEL: enum(debug|info) = info
}
service web {
  image "nginx:1.27"
  environment {
    LEVEL
  }
})~"},
    {"D0116",
     R"~(The members of an `enum(…)` are not separated by `|`, or the list is not closed by `)`.)~",
     R"~(`enum(debug info)` could be one member with a space or two members; the compiler does
not guess.)~",
     R"~(project "shop"
section "Configuration" {
  env LEVEL: enum(debug info) = info
})~",
     R"~(project "shop"
section "Configuration" {
  env LEVEL: enum(debug|info) = info
}
service web {
  image "nginx:1.27"
  environment {
    LEVEL
  }
})~"},
    {"D0117", R"~(`=` or a key like `cpu=` is not followed by a value.)~",
     R"~(An empty value is never meant: write the value, or remove the `=`.)~",
     R"~(flag sentry =
project "shop")~",
     R"~(flag sentry = false
project "shop")~"},
    {"D0118",
     R"~(Two items of a `[ … ]` list are not separated by a comma, or the list is not closed.)~",
     R"~(`[front back]` could be one item or two; the compiler does not guess.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  networks [front back]
})~",
     R"~(project "shop"
network front {
  driver bridge
}
network back {
  driver bridge
}
service web {
  image "nginx:1.27"
  networks front back
})~"},
    {"D0119",
     R"~(A list contains something that is not a value where an item or the closing `]` should
be.)~",
     R"~(Lists hold values only: strings, numbers, names or other lists.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  networks [front, =]
})~",
     R"~(project "shop"
network front {
  driver bridge
}
service web {
  image "nginx:1.27"
  networks front
})~"},
    {"D0120",
     R"~(`when` is not followed by the name of the flag it tests (`when sentry`, or
`when !sentry` for the opposite).)~",
     R"~(A `when` without a flag has nothing to decide whether its block is kept.)~",
     R"~(project "shop"
when {
})~",
     R"~(flag sentry = false
project "shop"
when sentry {
})~"},
    {"D0121",
     R"~(`when FLAG` is not followed by a `{ … }` block holding the statements it keeps or
drops.)~",
     R"~(`when` applies to a block, never to the rest of a line, so it is always clear which
statements depend on the flag.)~",
     R"~(flag sentry = false
project "shop"
when sentry service web)~",
     R"~(flag sentry = false
project "shop"
when sentry {
  service web {
    image "nginx:1.27"
  }
})~"},
    {"D0122",
     R"~(A number goes on with characters no number has, like a second fraction (`1.2.3`).)~",
     R"~(Numbers carry their unit (`512M`, `30s`, `1m30s`); anything else after the digits is a
typo that would change the value.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=1.2.3
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=1.2
})~"},
    {"D0123",
     R"~(Two arguments of a statement touch without a space between them, like `"a""b"`.)~",
     R"~(They could be one argument with a missing operator or two arguments; the compiler
refuses to guess.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27""x"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
})~"},
    {"D0124",
     R"~(Blocks, lists or type arguments are nested deeper than the parser allows (64 levels).)~",
     R"~(No real spec nests that deep; the limit keeps a malformed or hostile file from
exhausting the compiler's stack.)~",
     R"~(networks [[[[[[[[[[ … 65 levels … ]]]]]]]]]])~", R"~(networks front back)~", false},
    {"D0125",
     R"~(The file contains a byte sequence that is not valid UTF-8, at the byte offset shown.)~",
     R"~(Specs are UTF-8 text. A file saved in Latin-1 or another encoding would put different
bytes into the generated Compose file than the author sees.)~",
     R"~(# caf\xe9 (Latin-1 e-acute, byte 0xE9))~", R"~(# café (saved as UTF-8))~", false},
    {"D0126", R"~(The file contains a NUL byte (0x00) at the byte offset shown.)~",
     R"~(A NUL byte means the file is binary or corrupted; text tools, YAML readers and shells
all truncate at it.)~",
     R"~(# a comment with a NUL byte (0x00) in it)~", R"~(# a comment without one)~", false},
    {"D0127", R"~(The parser stopped after reporting 100 syntax errors.)~",
     R"~(Past that many errors the input is probably not a spec at all (a wrong file, or one in
another format), and more errors would only bury the first ones, which are the useful ones.)~",
     R"~($ deployc build compose.yml      # a YAML file, not a spec)~",
     R"~($ deployc build app.deploy)~", false},

    // ---- D02xx names and structure ----
    {"D0201",
     R"~(A statement starts with a keyword that is not known where it stands: a misspelt setting,
or one of another place. A close match is suggested.)~",
     R"~(An unknown setting cannot be ignored safely: `restrat always` left out means the
service is never restarted, with no other sign of it.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restrat always
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always
})~"},
    {"D0202",
     R"~(`when` tests a flag that is not declared. Flags are declared at the top level with
`flag NAME = false`.)~",
     R"~(An undeclared flag could be neither set with -D nor documented; its block would be
dropped in every build without anyone noticing.)~",
     R"~(flag sentry = false
project "shop"
when sentri {
})~",
     R"~(flag sentry = false
project "shop"
when sentry {
})~"},
    {"D0203", R"~(A string substitutes `{name}`, and no param of that name is declared.)~",
     R"~(The text would otherwise keep a literal `{name}`, or an empty hole, in a container name
or a URL.)~",
     R"~(param slug: string = "shop"
project "{slg}")~",
     R"~(param slug: string = "shop"
project "{slug}")~"},
    {"D0204",
     R"~(A `-D name=value` on the command line names neither a param nor a flag of the spec.)~",
     R"~(A misspelt -D would otherwise be ignored, and the build would silently use the
default instead of the value that was asked for.)~",
     R"~(# deployc build -D sentri=true
flag sentry = false
project "shop")~",
     R"~(# deployc build -D sentry=true
flag sentry = false
project "shop")~"},
    {"D0205",
     R"~(A `depends_on` names a service that does not exist, either at all or for the current
flag values (then a note names the flag).)~",
     R"~(Compose would refuse the file (`depends on undefined service`), and only at deploy
time.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  depends_on bakend started
}
service backend {
  image "nginx:1.27"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  depends_on backend started
}
service backend {
  image "nginx:1.27"
})~"},
    {"D0206", R"~(A service joins a network that no top-level `network` declares.)~",
     R"~(Compose fails with `service refers to undefined network` when the stack starts.)~",
     R"~(project "shop"
network main {
  driver bridge
}
service web {
  image "nginx:1.27"
  networks mian
})~",
     R"~(project "shop"
network main {
  driver bridge
}
service web {
  image "nginx:1.27"
  networks main
})~"},
    {"D0207",
     R"~(Something is declared or set twice where it must be unique: two services, params, env
vars or sections of one name, a setting written twice in a service, a key given twice. The
label shows the first one.)~",
     R"~(One of the two would silently win (YAML keeps the last key), and it is rarely the one
that was meant.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
}
service web {
  image "nginx:1.27"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
}
service admin {
  image "nginx:1.27"
})~"},
    {"D0208", R"~(The spec has no `project` declaration.)~",
     R"~(Without `name:` Compose names the project after the folder it runs in, which decides
container, network and volume names: a checkout in another folder would start a second copy of
the stack next to the first, with empty volumes.)~",
     R"~(service web {
  image "nginx:1.27"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
})~"},
    {"D0209",
     R"~(The project name is not one Compose accepts: lowercase letters, digits, `-` and `_`,
starting with a letter or digit. The help shows the name Compose would have made of it.)~",
     R"~(Compose rejects or rewrites such a name, and every container, network and volume name
is derived from it.)~",
     R"~(project "Demo Shop")~", R"~(project "demo_shop")~"},
    {"D0210", R"~(A param has no default and no `-D` value.)~",
     R"~(Every param must have a value when the spec is compiled; an empty one would end up in
names and URLs.)~",
     R"~(param slug: string
project "{slug}")~",
     R"~(param slug: string = "shop"
project "{slug}")~"},
    {"D0211",
     R"~(A statement is written where it does not belong: an `env` outside a section, a param
inside a `when`, a service setting at the top level. The help says where it goes.)~",
     R"~(Each place has a meaning (sections lay out the env example, services hold settings);
a statement elsewhere has none.)~",
     R"~(project "shop"
env LOG_LEVEL: string = "info")~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: string = "info"
}
service web {
  image "nginx:1.27"
  environment {
    LOG_LEVEL
  }
})~"},
    {"D0212",
     R"~(A setting is missing an argument it needs, like the policy of `restart` or the reason
of `allow`.)~",
     R"~(There is no safe default to fill in: the setting would mean nothing without it.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always
})~"},
    {"D0213", R"~(A setting has more arguments than it takes, or one it does not know.)~",
     R"~(An extra word is usually a second setting run into the first; ignoring it would drop
what it meant.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always now
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always
})~"},
    {"D0214",
     R"~(A `key=value` argument uses a key the setting does not have. A close key is
suggested.)~",
     R"~(`memroy=512M` ignored would leave the service without a memory limit.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=1.0 memroy=512M
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=1.0 memory=512M
})~"},
    {"D0215", R"~(A setting that takes no block is followed by `{ … }`.)~",
     R"~(The statements in the block would belong to nothing.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always {
  }
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always
})~"},
    {"D0216",
     R"~(A service has no `image`. The production file only pulls images; `build` describes how
CI builds one, in a separate file.)~",
     R"~(Compose cannot start a service without an image (or a build, which production hosts
must not do).)~",
     R"~(project "shop"
service web {
  restart always
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always
})~"},
    {"D0217", R"~(A setting that takes arguments is written with `= value`, like a variable.)~",
     R"~(`=` is for values of environment entries and labels; settings take arguments, so the
same setting always reads the same way.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart = always
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart always
})~"},
    {"D0218",
     R"~(A statement that needs a block (`service`, `section`, `environment`, `labels`, …) has
none.)~",
     R"~(Its content is what it declares; without the block it declares nothing.)~",
     R"~(project "shop"
service web)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
})~"},
    {"D0219", R"~(A service mounts a named volume that no top-level `volume` declares.)~",
     R"~(Compose refuses a service volume that names an undeclared volume, at deploy time.)~",
     R"~(project "shop"
service db {
  image "postgres:16"
  volume pgdata "/var/lib/postgresql/data"
})~",
     R"~(project "shop"
volume pgdata
service db {
  image "postgres:16"
  volume pgdata "/var/lib/postgresql/data"
})~"},
    {"D0220",
     R"~(A service is granted a secret or a config that no top-level `secret` or `config`
declares.)~",
     R"~(Compose refuses it at deploy time (`service refers to undefined secret`).)~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  secrets db_password
})~",
     R"~(project "shop"
section "Secrets" {
  env DB_PASSWORD: string secret example="CHANGE_ME"
}
secret db_password {
  environment DB_PASSWORD
}
service api {
  image "ghcr.io/acme/api:1.4.2"
  secrets db_password
})~"},

    // ---- D03xx types, units and values ----
    {"D0301",
     R"~(A declaration names a type that does not exist. The types are `string`, `int`, `bool`,
`port`, `duration`, `memory`, `cpu`, `url<…>`, `host`, `list<…>`, `enum(…)`, `path` and
`image`; `secret` is a modifier, not a type.)~",
     R"~(The type decides how every value and default is checked; an unknown one checks
nothing.)~",
     R"~(project "shop"
section "Configuration" {
  env GREETING: strng = "hello"
})~",
     R"~(project "shop"
section "Configuration" {
  env GREETING: string = "hello"
}
service web {
  image "nginx:1.27"
  environment {
    GREETING
  }
})~"},
    {"D0302",
     R"~(A type is given arguments it does not take: `int<…>`, `list` without its element type,
a list of lists, an upper-case url scheme.)~",
     R"~(Env values are flat text; a type that cannot be written as one value cannot be
checked.)~",
     R"~(project "shop"
section "Configuration" {
  env HOSTS: list<list<host>> optional
})~",
     R"~(project "shop"
section "Configuration" {
  env HOSTS: list<host> optional
}
service web {
  image "nginx:1.27"
  environment {
    HOSTS
  }
})~"},
    {"D0303",
     R"~(A value is of the wrong kind: a bare name where a quoted string is needed, a list where
one value is, a number where a word is.)~",
     R"~(Bare names refer to variables and enum members; text that is meant literally is
quoted, so the two can never be confused.)~",
     R"~(project demo)~", R"~(project "demo")~"},
    {"D0304", R"~(A value of type `int` is not a whole number.)~",
     R"~(Compose would pass `1.5` to a program that expects an integer, and it would fail at
start-up, or worse, round it.)~",
     R"~(project "shop"
section "Configuration" {
  env WORKERS: int = 1.5
})~",
     R"~(project "shop"
section "Configuration" {
  env WORKERS: int = 2
}
service web {
  image "nginx:1.27"
  environment {
    WORKERS
  }
})~"},
    {"D0305", R"~(A port is not a number from 1 to 65535.)~",
     R"~(Docker rejects it when the container is created, long after the file was accepted.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  publish 80 host=70000
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  publish 80 host=8080
})~"},
    {"D0306",
     R"~(A duration is not a number with a unit: `us`, `ms`, `s`, `m` or `h`, combinable
(`1m30s`), at least 1ms.)~",
     R"~(Compose reads a bare `30` as nanoseconds for some keys and refuses it for others.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80 interval=30
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80 interval=30s
})~"},
    {"D0307",
     R"~(A memory size is not a whole number with a Compose unit: `b`, `k`, `m`, `g` (any case),
like `512M` or `1G`. Kubernetes units such as `Mi` are not Compose units.)~",
     R"~(Compose rejects `512Mi` at deploy time, and `1.5G` is not a size it can read.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits memory=512Mi
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits memory=512M
})~"},
    {"D0308", R"~(A cpu count is not a number greater than 0, like `0.5` or `2`.)~",
     R"~(`cpus: 0` means "no limit" to Compose, the opposite of what a zero usually means.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=0
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=0.5
})~"},
    {"D0309",
     R"~(A bool is not `true` or `false`. `yes`, `on` and `1` are not accepted in a spec.)~",
     R"~(YAML 1.1 readers turn `yes` and `on` into booleans and YAML 1.2 readers keep them as
strings, so the same file means different things to different tools.)~",
     R"~(flag sentry = yes
project "shop")~",
     R"~(flag sentry = true
project "shop")~"},
    {"D0310",
     R"~(A url value is not a URL with a scheme and a host, like `https://api.example.com`.)~",
     R"~(The service would receive a value it cannot connect to, and find out only when it
tries.)~",
     R"~(project "shop"
section "Configuration" {
  env API_URL: url<https> = "api.example.com"
})~",
     R"~(project "shop"
section "Configuration" {
  env API_URL: url<https> = "https://api.example.com"
}
service web {
  image "nginx:1.27"
  environment {
    API_URL
  }
})~"},
    {"D0311",
     R"~(A URL's scheme is not one of those its type allows: a `url<https>` given `http://…`.)~",
     R"~(The schemes in the type are a decision (TLS only, the async database driver); a value
that breaks it would connect insecurely or with the wrong driver.)~",
     R"~(project "shop"
section "Configuration" {
  env API_URL: url<https> = "http://api.example.com"
})~",
     R"~(project "shop"
section "Configuration" {
  env API_URL: url<https> = "https://api.example.com"
}
service web {
  image "nginx:1.27"
  environment {
    API_URL
  }
})~"},
    {"D0312", R"~(A value is not one of the members of its `enum(…)` type.)~",
     R"~(The program reading it would reject it at start-up, or fall back to a default without
saying so.)~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: enum(debug|info|warning) = inf
})~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: enum(debug|info|warning) = info
}
service web {
  image "nginx:1.27"
  environment {
    LOG_LEVEL
  }
})~"},
    {"D0313", R"~(A `path` value is not an absolute path (starting with `/`).)~",
     R"~(A relative path inside a container depends on its working directory, and an API prefix
without its leading `/` builds broken URLs.)~",
     R"~(param prefix: path = "api/v1"
project "shop")~",
     R"~(param prefix: path = "/api/v1"
project "shop")~"},
    {"D0314",
     R"~(An image reference is not valid: repositories are lowercase, tags are letters, digits,
`_`, `.` and `-`, digests look like `sha256:` and 64 hex digits. A variable of type `image`
holds the repository only; its tag goes in its own variable.)~",
     R"~(No registry accepts it: the pull fails on every host, at deploy time.)~",
     R"~(project "shop"
service web {
  image "ghcr.io/Acme/web:1.0"
})~",
     R"~(project "shop"
service web {
  image "ghcr.io/acme/web:1.0"
})~"},
    {"D0315", R"~(A `host` value is not a host name or an IP address.)~",
     R"~(The service would fail to resolve it, and only when it first connects.)~",
     R"~(project "shop"
section "Configuration" {
  env DB_HOST: host = "db host"
})~",
     R"~(project "shop"
section "Configuration" {
  env DB_HOST: host = "db.internal"
}
service web {
  image "nginx:1.27"
  environment {
    DB_HOST
  }
})~"},
    {"D0316", R"~(A value that must be an IP address (the `ip=` of `publish`) is not one.)~",
     R"~(Docker binds published ports to addresses, not names; a name fails when the container
starts.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  publish 80 host=8080 ip="localhost"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  publish 80 host=8080 ip="127.0.0.1"
})~"},
    {"D0317",
     R"~(A name (container, network, user, volume, …) has characters Compose or Docker do not
accept there.)~",
     R"~(Docker refuses the name when it creates the object, at deploy time.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  container_name "-web"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  container_name "web"
})~"},
    {"D0318",
     R"~(A word is not one of the choices of its setting: a restart policy, a network or logging
driver, a dependency condition. A close choice is suggested.)~",
     R"~(Compose refuses an unknown choice at deploy time, or (for some drivers) at the first
log line.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart sometimes
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  restart unless-stopped
})~"},
    {"D0319",
     R"~(A `-D name=value` gives a value its param or flag cannot take: a flag is `true`, `false`,
`yes` or `no`; a param is checked against its type.)~",
     R"~(The value would otherwise reach names, URLs and ports unchecked.)~",
     R"~(# deployc build -D sentry=maybe
flag sentry = false
project "shop")~",
     R"~(# deployc build -D sentry=yes
flag sentry = false
project "shop")~"},
    {"D0320",
     R"~(A variable is used where its type does not fit: a `string` variable as a published
port, an `int` as an image repository.)~",
     R"~(The variable's type is what the deployer's value is checked against; a `string` in a
port slot would let `eighty` through to Docker.)~",
     R"~(project "shop"
section "Configuration" {
  env WEB_PORT: string = "8080"
}
service web {
  image "nginx:1.27"
  publish 80 host=WEB_PORT
})~",
     R"~(project "shop"
section "Configuration" {
  env WEB_PORT: port = 8080
}
service web {
  image "nginx:1.27"
  publish 80 host=WEB_PORT
})~"},
    {"D0321",
     R"~(A number is outside the range its setting accepts, like a pids limit of 0 or a negative
retry count.)~",
     R"~(Compose and Docker give such values special meanings (0 = unlimited) or reject them
late.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits pids=0
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits pids=100
})~"},

    // ---- D04xx resources, health and ordering ----
    {"D0401", R"~(A service reserves more cpu or memory than its limit lets it use.)~",
     R"~(A reservation is the floor the scheduler guarantees and the limit the ceiling the
kernel enforces; Docker refuses a floor above the ceiling when it creates the container.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits memory=512M
  reserve memory=1G
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits memory=1G
  reserve memory=512M
})~"},
    {"D0402", R"~(A service waits for another to be `healthy`, and that one has no health check.)~",
     R"~(Compose stops at deploy time with `container … has no healthcheck configured`, and the
stack does not start.)~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
}
service web {
  image "nginx:1.27"
  depends_on api healthy
})~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  health http port=8000 path="/health"
}
service web {
  image "nginx:1.27"
  depends_on api healthy
})~"},
    {"D0403", R"~(Services wait for each other in a cycle; the message shows it.)~",
     R"~(Compose cannot decide which to start first and refuses the file.)~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  depends_on web started
}
service web {
  image "nginx:1.27"
  depends_on api started
})~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
}
service web {
  image "nginx:1.27"
  depends_on api started
})~"},
    {"D0404", R"~(A health check's timeout is as long as its interval, or longer.)~",
     R"~(A check that may run for the whole interval overlaps the next one, so a slow service
is probed twice at once and is marked unhealthy later than the settings suggest.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80 interval=10s timeout=10s
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80 interval=10s timeout=3s
})~"},
    {"D0405",
     R"~(Two services publish the same host port (on the same address and protocol). Ports given
by variables count with their defaults.)~",
     R"~(Only one container can listen on a host port; the second fails to start with `port is
already allocated`, at deploy time.)~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  publish 80 host=8080
}
service web {
  image "nginx:1.27"
  publish 80 host=8080
})~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  publish 80 host=8081
}
service web {
  image "nginx:1.27"
  publish 80 host=8080
})~"},
    {"D0406", R"~(A health check sets `start_interval` without `start_period`.)~",
     R"~(`start_interval` is how often to probe during the start period; Compose refuses it
without one.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80 interval=30s start_interval=5s
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80 interval=30s start_period=30s start_interval=5s
})~"},
    {"D0407",
     R"~(A service reserves cpus (`reserve cpu=…`). Plain `docker compose` applies limits and
memory reservations, but not cpu reservations: only Swarm (`docker stack deploy`) does.)~",
     R"~(The reservation looks like a guarantee and is silently ignored: under load the service
gets no more cpu than any other. Keep it only if the stack also runs on Swarm, and say so with
`allow D0407 "…"`.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=1.0 memory=256M
  reserve cpu=0.25 memory=128M
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=1.0 memory=256M
  reserve memory=128M
})~"},
    {"D0408",
     R"~(The spec declares what its host offers (`host cpu=4 memory=8G`), and the limits of its
services, times their replicas, add up to more. Limits given by variables count with their
defaults; services without a limit are named in a note.)~",
     R"~(Limits are ceilings, not reservations, so the stack starts; but under load the services
compete for the same cores, and when memory runs out the kernel's out-of-memory killer stops
one of them.)~",
     R"~(project "shop"
host memory=1G
service api {
  image "ghcr.io/acme/api:1.4.2"
  limits memory=768M
}
service web {
  image "nginx:1.27"
  limits memory=512M
})~",
     R"~(project "shop"
host memory=2G
service api {
  image "ghcr.io/acme/api:1.4.2"
  limits memory=768M
}
service web {
  image "nginx:1.27"
  limits memory=512M
})~"},
    {"D0409",
     R"~(A `depends_on` is kept for some combination of the flags while every declaration of its
target is dropped. All combinations are checked, not only the one being built; the message
names the nearest one that breaks.)~",
     R"~(The build that was tested passes, and the first build with the other flag value
produces a file Compose refuses (`depends on undefined service`), usually in the middle of a
release.)~",
     R"~(flag workers = true
project "shop"
when workers {
  service worker {
    image "ghcr.io/acme/worker:1.4.2"
  }
}
service api {
  image "ghcr.io/acme/api:1.4.2"
  depends_on worker started
})~",
     R"~(flag workers = true
project "shop"
when workers {
  service worker {
    image "ghcr.io/acme/worker:1.4.2"
  }
}
service api {
  image "ghcr.io/acme/api:1.4.2"
  when workers {
    depends_on worker started
  }
})~"},
    {"D0410",
     R"~(A service's memory limit (its default, when the limit is `tunable`) is below the
`min_memory` the same `limits` setting states: the least the service needs to run.)~",
     R"~(The container starts, passes its health check, and is killed by the kernel's
out-of-memory killer under the first real load; `docker compose ps` then shows a restart loop
with no error of the application's own.)~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  limits cpu=1.0 memory=256M min_memory=512M
})~",
     R"~(project "shop"
service api {
  image "ghcr.io/acme/api:1.4.2"
  limits cpu=1.0 memory=512M min_memory=512M
})~"},

    // ---- D05xx environment variables and secrets ----
    {"D0501",
     R"~(A service reads a variable that no section declares (or that is declared only under a
flag that is off: a note says which).)~",
     R"~(Compose would substitute an empty string, and the service would start with a blank
setting in production.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  environment {
    DATABASE_URL
  }
})~",
     R"~(project "shop"
section "Required configuration" {
  env DATABASE_URL: url<postgresql> secret example="postgresql://app:CHANGE_ME@db/app"
}
service web {
  image "nginx:1.27"
  environment {
    DATABASE_URL
  }
})~"},
    {"D0502", R"~(A variable is declared but no service reads it, whatever the flags.)~",
     R"~(It shows in the env example, so deployers fill it in for nothing, and it usually means
an `environment` entry was forgotten.)~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: string = "info"
}
service web {
  image "nginx:1.27"
})~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: string = "info"
}
service web {
  image "nginx:1.27"
  environment {
    LOG_LEVEL
  }
})~"},
    {"D0503", R"~(A `secret` variable has a default.)~",
     R"~(A default is committed with the spec and lands in the env example: a real secret would
be published, and a fake one would run in production unnoticed. Put a placeholder in
`example` instead.)~",
     R"~(project "shop"
section "Configuration" {
  env DB_PASSWORD: string = "hunter2" secret
}
service web {
  image "nginx:1.27"
  environment {
    DB_PASSWORD
  }
})~",
     R"~(project "shop"
section "Configuration" {
  env DB_PASSWORD: string secret example="CHANGE_ME"
}
service web {
  image "nginx:1.27"
  environment {
    DB_PASSWORD
  }
})~"},
    {"D0504",
     R"~(The example of a `secret` variable does not contain the placeholder `CHANGE_ME`.)~",
     R"~(Examples are copied into real env files. A realistic-looking example is deployed as is
more often than anyone admits; `CHANGE_ME` is caught by `deployc env-check` and by eye.)~",
     R"~(project "shop"
section "Configuration" {
  env DB_PASSWORD: string secret example="hunter2"
}
service web {
  image "nginx:1.27"
  environment {
    DB_PASSWORD
  }
})~",
     R"~(project "shop"
section "Configuration" {
  env DB_PASSWORD: string secret example="CHANGE_ME"
}
service web {
  image "nginx:1.27"
  environment {
    DB_PASSWORD
  }
})~"},
    {"D0505", R"~(A variable has a default and is also marked `optional`.)~",
     R"~(The two say different things about an unset variable (use the default, or leave it
empty); the compiler will not pick one.)~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: string = "info" optional
}
service web {
  image "nginx:1.27"
  environment {
    LOG_LEVEL
  }
})~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: string = "info"
}
service web {
  image "nginx:1.27"
  environment {
    LOG_LEVEL
  }
})~"},
    {"D0506", R"~(A variable name is not letters, digits and `_`, starting with a letter or `_`.)~",
     R"~(`.env` files accept more names than Compose can substitute: `${LOG-LEVEL}` is read as
`LOG` with a default, so the service would get the wrong value.)~",
     R"~(project "shop"
section "Configuration" {
  env LOG-LEVEL: string = "info"
})~",
     R"~(project "shop"
section "Configuration" {
  env LOG_LEVEL: string = "info"
}
service web {
  image "nginx:1.27"
  environment {
    LOG_LEVEL
  }
})~"},
    {"D0507",
     R"~(A literal in a service (an environment value, a label, a command) contains the example
of a `secret` variable.)~",
     R"~(The example was copied where the variable should have been named: the placeholder, or
a real secret pasted over it, would be deployed as written and committed with the spec.)~",
     R"~(project "shop"
section "Configuration" {
  env API_TOKEN: string secret example="tok_CHANGE_ME_0000"
}
service api {
  image "ghcr.io/acme/api:1.4.2"
  environment {
    API_TOKEN
    UPSTREAM_TOKEN = "tok_CHANGE_ME_0000"
  }
})~",
     R"~(project "shop"
section "Configuration" {
  env API_TOKEN: string secret example="tok_CHANGE_ME_0000"
}
service api {
  image "ghcr.io/acme/api:1.4.2"
  environment {
    API_TOKEN
    UPSTREAM_TOKEN = API_TOKEN
  }
})~"},
    {"D0520",
     R"~(`deployc env-check` found a line in the env file that is not `NAME=value`, a comment or
blank. The line is named; its value is never printed, since it may be a secret.)~",
     R"~(Compose skips or misreads such lines, so the variable it meant to set stays unset.)~",
     R"~($ cat .env.production
DATABASE_URL postgresql://…
$ deployc env-check app.deploy --env-file .env.production)~",
     R"~($ cat .env.production
DATABASE_URL=postgresql://…)~",
     false},
    {"D0521",
     R"~(`deployc env-check`: a required variable (no default, not optional) is missing from the
env file.)~",
     R"~(`docker compose up` would stop with `required variable … is missing a value`, on the
production host.)~",
     R"~($ deployc env-check app.deploy --env-file .env.production   # no DATABASE_URL line)~",
     R"~($ echo 'DATABASE_URL=postgresql+asyncpg://…' >> .env.production)~", false},
    {"D0522", R"~(`deployc env-check`: a required variable is present in the env file but empty.)~",
     R"~(An empty required value fails Compose's `${VAR:?…}` check at deploy time.)~",
     R"~(DATABASE_URL=)~", R"~(DATABASE_URL=postgresql+asyncpg://app:…@db:5432/app)~", false},
    {"D0523",
     R"~(`deployc env-check`: a value in the env file does not fit the variable's type (a port
that is not a number, a URL with the wrong scheme). The value itself is not shown.)~",
     R"~(The service would receive it and fail when it parses it, after the deploy.)~",
     R"~(BACKEND_PORT=eighty)~", R"~(BACKEND_PORT=8000)~", false},
    {"D0524",
     R"~(`deployc env-check`: the env file sets a variable the deployment does not declare.)~",
     R"~(It is usually a misspelt name, and then the variable that was meant keeps its
default.)~",
     R"~(DATABSE_URL=postgresql+asyncpg://…)~", R"~(DATABASE_URL=postgresql+asyncpg://…)~", false},
    {"D0525",
     R"~(`deployc env-check`: a secret still holds the placeholder from its example
(`CHANGE_ME`).)~",
     R"~(The example was copied and never filled in: the service would authenticate with a
published placeholder.)~",
     R"~(DB_PASSWORD=CHANGE_ME)~", R"~(DB_PASSWORD=<the real password>)~", false},
    {"D0526", R"~(`deployc env-check`: a required variable is set to exactly its example value.)~",
     R"~(Examples point at example.com hosts; a copied example runs but talks to nothing.)~",
     R"~(OAUTH_ISSUER_URL=https://auth.example.com/realms/acme)~",
     R"~(OAUTH_ISSUER_URL=https://sso.acme.io/realms/acme)~", false},
    {"D0527", R"~(`deployc env-check`: the env file sets the same variable more than once.)~",
     R"~(Only the last line counts, which is rarely the one a reader of the file looks at.)~",
     R"~(LOG_LEVEL=info
LOG_LEVEL=debug)~",
     R"~(LOG_LEVEL=debug)~", false},
    {"D0528",
     R"~(`deployc env-check`: the env file sets a tunable memory limit below the `min_memory`
the service's `limits` states.)~",
     R"~(The container starts and passes its health check, then the kernel's out-of-memory
killer stops it under the first real load. The spec's own default was checked when it was
compiled (D0410); a tuned value is seen only here.)~",
     R"~(BACKEND_MEMORY_LIMIT=128M)~", R"~(BACKEND_MEMORY_LIMIT=1G)~", false},
    {"D0529",
     R"~(`deployc env-check`: with the env file's values, a service reserves more cpu or memory
than its limit: the file tunes one of the two and not the other, or both out of order.)~",
     R"~(Docker refuses to create the container (a memory reservation above the limit), or
Swarm cannot place it. The spec's defaults were checked when it was compiled (D0401); tuned
values are seen only here.)~",
     R"~(BACKEND_MEMORY_LIMIT=128M
BACKEND_MEMORY_RESERVATION=256M)~",
     R"~(BACKEND_MEMORY_LIMIT=512M
BACKEND_MEMORY_RESERVATION=256M)~", false},

    // ---- D06xx production rules ----
    {"D0601",
     R"~(A literal value looks like a credential: a URL with `user:password@`, a `password=`
pair, a PEM private key.)~",
     R"~(The spec is committed; a credential in it is published to everyone who can read the
repository, and stays in its history after it is removed.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  environment {
    DATABASE_URL = "postgresql://app:hunter2@db.example.com/app"
  }
})~",
     R"~(project "shop"
section "Required configuration" {
  env DATABASE_URL: url<postgresql> secret example="postgresql://app:CHANGE_ME@db/app"
}
service web {
  image "nginx:1.27"
  environment {
    DATABASE_URL
  }
})~"},
    {"D0602",
     R"~(A service mounts a host path (a bind mount) in a production spec. Production specs
mount named volumes only.)~",
     R"~(A bind mount ties the stack to one host's file layout: on another host the path is
missing or, worse, holds something else, and backups and permissions are nobody's job.)~",
     R"~(project "shop"
service db {
  image "postgres:16"
  volume "./data:/var/lib/postgresql/data"
})~",
     R"~(project "shop"
volume pgdata
service db {
  image "postgres:16"
  volume pgdata "/var/lib/postgresql/data"
})~"},
    {"D0603", R"~(A service sets both `replicas` above 1 and a fixed `container_name`.)~",
     R"~(Container names are unique per host: Compose cannot start the second replica.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  container_name "web"
  replicas 2
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  replicas 2
})~"},
    {"D0604",
     R"~(A service has no cpu or memory limit. `import "std/sizing"` and `use medium` (or
`small`, `large`) in the service add tunable limits.)~",
     R"~(Without limits one leaking or busy container can take the host's memory or cores from
every other one, and the kernel then stops whichever process it chooses.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  limits cpu=0.5 memory=128M
})~"},
    {"D0605",
     R"~(A service has no health check. `import "std/health"` and
`use http_curl port=8000 path="/health"` add one; `health none` says on purpose that there is
nothing to check.)~",
     R"~(Docker then counts a running process as healthy, even one that cannot serve:
`depends_on … healthy` cannot be used, and restarts never happen for a hung service.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  health http port=80
})~"},
    {"D0606",
     R"~(A service's logs are not rotated: no `logging`, or `json-file` without `max_size`.
`import "std/logging"` and `use rotated_logs` in the service cap them.)~",
     R"~(Docker's default `json-file` driver keeps every line; a chatty service fills the disk
and takes every other container down with it.)~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  logging json-file
})~",
     R"~(project "shop"
service web {
  image "nginx:1.27"
  logging json-file max_size=10m max_file=5
})~"},
    {"D0607",
     R"~(An image is pulled by the `latest` tag (or by no tag, which means `latest`), with the
defaults of its variables substituted.)~",
     R"~(`latest` moves: two hosts, or one host before and after a pull, run different code,
and rolling back means guessing which image ran before. Pin a release tag or a digest; where
`latest` is deliberate, say why with `allow D0607 "…"`.)~",
     R"~(project "shop"
section "Images" {
  env WEB_TAG: string = "latest"
}
service web {
  image repo="ghcr.io/acme/web" tag=WEB_TAG
})~",
     R"~(project "shop"
section "Images" {
  env WEB_TAG: string = "1.4.2"
}
service web {
  image repo="ghcr.io/acme/web" tag=WEB_TAG
})~"},
    {"D0608",
     R"~(With the defaults of its variables substituted, an image reference is one no registry
accepts (an uppercase repository, a tag with a space, an empty tag).)~",
     R"~(Each part looked fine alone; together, with nothing set in the env file, the pull
fails on every host, at deploy time.)~",
     R"~(project "shop"
section "Images" {
  env WEB_TAG: string = "1.4 beta"
}
service web {
  image repo="ghcr.io/acme/web" tag=WEB_TAG
})~",
     R"~(project "shop"
section "Images" {
  env WEB_TAG: string = "1.4-beta"
}
service web {
  image repo="ghcr.io/acme/web" tag=WEB_TAG
})~"},
    {"D0609",
     R"~(`allow` names something that is not a diagnostic code. Codes look like `D0607`;
`deployc explain CODE` describes one.)~",
     R"~(An `allow` of a misspelt code allows nothing, and the warning it was meant for keeps
showing, or worse, a reviewer believes it was reviewed.)~",
     R"~(project "shop"
allow D0670 "the templates deploy latest")~",
     R"~(project "shop"
allow D0607 "the templates deploy latest")~"},
    {"D0610",
     R"~(`allow` names an error. Only warnings can be allowed: `allow D0607 "reason"` at the top
level covers the whole spec, inside a service only that service.)~",
     R"~(An error means the output would be wrong or refused by Compose; it is fixed, never
waived.)~",
     R"~(project "shop"
allow D0401 "the host has swap")~",
     R"~(project "shop"
allow D0407 "the stack also runs on Swarm")~"},

    // ---- D07xx modules and presets ----
    {"D0701",
     R"~(A module (any file but the root spec) declares something other than presets and
imports.)~",
     R"~(A module that could declare services or variables would change a deployment merely by
being imported.)~",
     R"~(# common.deploy, imported by app.deploy
service cache {
  image "redis:7"
})~",
     R"~(# common.deploy, imported by app.deploy
preset cache_defaults {
  restart always
})~",
     false},
    {"D0702",
     R"~(`use` names a preset that no file declares. A close name is suggested; presets of the
standard library need their `import "std/…"`.)~",
     R"~(The settings the preset was meant to add would be missing without a trace.)~",
     R"~(import "std/logging"
project "shop"
service web {
  image "nginx:1.27"
  use rotated_log
})~",
     R"~(import "std/logging"
project "shop"
service web {
  image "nginx:1.27"
  use rotated_logs
})~"},
    {"D0703", R"~(A `use` passes a param the preset does not declare.)~",
     R"~(The value would be silently ignored, and the preset's default used instead.)~",
     R"~(import "std/logging"
project "shop"
service web {
  image "nginx:1.27"
  use rotated_logs max_sise=20m
})~",
     R"~(import "std/logging"
project "shop"
service web {
  image "nginx:1.27"
  use rotated_logs max_size=20m
})~"},
    {"D0704",
     R"~(Two presets used by the same service both set the same setting, and the service does
not set it itself.)~",
     R"~(Which one wins would depend on the order of the `use` lines; the service settles it by
setting it itself, or by using only one of them.)~",
     R"~(import "std/logging"
project "shop"
service web {
  image "nginx:1.27"
  use rotated_logs
  use local_logs
})~",
     R"~(import "std/logging"
project "shop"
service web {
  image "nginx:1.27"
  use rotated_logs
})~"},
    {"D0705",
     R"~(A preset uses itself, directly or through other presets; the message shows the chain.)~",
     R"~(Expanding it would never end.)~",
     R"~(project "shop"
preset a {
  use a
})~",
     R"~(project "shop"
preset a {
  restart always
})~"},
    {"D0706",
     R"~(A preset is used where its content does not belong: a preset of env declarations in a
service, or one of service settings in a section.)~",
     R"~(Its statements would be misplaced once expanded.)~",
     R"~(import "std/env"
project "shop"
service web {
  image "nginx:1.27"
  use redis
})~",
     R"~(import "std/env"
project "shop"
section "Cache" {
  use redis
}
service web {
  image "nginx:1.27"
  environment {
    REDIS_URL
  }
})~"},
    {"D0707", R"~(A preset holds both env declarations and service settings.)~",
     R"~(A preset is used either in a service or in a section, so half of it would always be
misplaced.)~",
     R"~(project "shop"
preset cache {
  env REDIS_URL: url<redis> secret example="redis://:CHANGE_ME@cache:6379/0"
  restart always
})~",
     R"~(project "shop"
preset cache_env {
  env REDIS_URL: url<redis> secret example="redis://:CHANGE_ME@cache:6379/0"
}
preset cache_service {
  restart always
})~"},
    {"D0720", R"~(An imported module cannot be read: it does not exist, or is not readable.)~",
     R"~(Its presets would be missing; every `use` of them would fail too.)~",
     R"~(import "./common"
project "shop")~",
     R"~(project "shop")~", false},
    {"D0721",
     R"~(`import "std/…"` names a module the standard library does not have. The note lists the
ones it has.)~",
     R"~(Its presets would be missing.)~",
     R"~(import "std/loging"
project "shop")~",
     R"~(import "std/logging"
project "shop")~"},
    {"D0722", R"~(Modules import each other in a cycle; the message shows it.)~",
     R"~(Loading them would never end, and the order of their presets would be undefined.)~",
     R"~(# a.deploy: import "./b"    b.deploy: import "./a")~",
     R"~(# a.deploy: import "./b"    b.deploy: no import of a)~", false},
    {"D0723",
     R"~(A relative import leads out of the folder of the root spec (through `..` or a symbolic
link).)~",
     R"~(The spec would then depend on files outside its repository, which a checkout on
another machine does not have.)~",
     R"~(import "../shared/common"
project "shop")~",
     R"~(import "./common"
project "shop")~",
     false},
    {"D0724", R"~(Imports nest deeper than the compiler allows.)~",
     R"~(No real spec needs that many levels; the limit stops runaway or generated imports.)~",
     R"~(# a imports b, which imports c, … 20 levels down)~",
     R"~(# import the modules the spec needs directly from it)~", false},
    {"D0725", R"~(The spec imports, directly or not, more modules than the compiler allows.)~",
     R"~(The limit stops runaway or generated imports from making every build slow.)~",
     R"~(# hundreds of imported modules)~", R"~(# a few modules, each holding related presets)~",
     false},
    {"D0726",
     R"~(An import path is malformed: empty, absolute, with `\`, a substitution or a NUL byte in
it.)~",
     R"~(Import paths are the same on every machine: relative with `/`, or `std/…`.)~",
     R"~(import "/etc/deploy/common"
project "shop")~",
     R"~(import "./common"
project "shop")~",
     false},

    // ---- D09xx input, output and command line ----
    {"D0901",
     R"~(A file cannot be read: the spec, or an existing output `deployc check` compares with.
The system's reason follows.)~",
     R"~(Nothing can be compiled or compared without it. The exit status is 2 (an I/O error, not
a problem in the spec).)~",
     R"~($ deployc build missing.deploy)~", R"~($ deployc build app.deploy)~", false},
    {"D0902", R"~(The spec is larger than the limit (64 MiB).)~",
     R"~(A spec is a page or two; a file that large is a mistake (a binary, a log) and would
only waste time.)~",
     R"~($ deployc build server.log)~", R"~($ deployc build app.deploy)~", false},
    {"D0903",
     R"~(An output cannot be written (the directory cannot be created, or the file cannot be
replaced). The system's reason follows.)~",
     R"~(Nothing is written at all: outputs are replaced together, atomically, so a failed
build never leaves half of them new.)~",
     R"~($ deployc build app.deploy -o /read-only/dir)~",
     R"~($ deployc build app.deploy -o deploy/)~", false},
    {"D0904",
     R"~(`deployc check` found an output that differs from what `deployc build` would write now;
the diff is printed on stdout.)~",
     R"~(The committed Compose file no longer matches its spec: someone edited one without the
other, and the next build would silently undo it.)~",
     R"~($ deployc check app.deploy -o deploy/      # after editing the spec only)~",
     R"~($ deployc build app.deploy -o deploy/ && deployc check app.deploy -o deploy/)~", false},
    {"D0905", R"~(`deployc check --require-outputs` found an output missing from the directory.)~",
     R"~(A CI check that accepted a missing file would pass on a repository that has none.)~",
     R"~($ deployc check app.deploy -o deploy/ --require-outputs     # deploy/ is empty)~",
     R"~($ deployc build app.deploy -o deploy/)~", false},
    {"D0920",
     R"~(`--emit build` asks for `compose.build.yml`, and no service declares a `build`.)~",
     R"~(An empty build file would make CI think it built the images.)~",
     R"~($ deployc build app.deploy --emit build       # no service has `build`)~",
     R"~($ deployc build app.deploy                    # or add `build context="./api"`)~", false},
};

void append_indented(std::string& out, std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    out += line.empty() ? "\n" : fmt::format("    {}\n", line);
    start = end + 1;
  }
}

}  // namespace

const std::vector<Explanation>& all_explanations() {
  return kExplanations;
}

const Explanation* find_explanation(std::string_view id) {
  for (const Explanation& e : kExplanations) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string render_explanation(Code code) {
  const CodeInfo& ci = info(code);
  const bool warning = ci.severity == Severity::Warning;
  std::string out = fmt::format("{} ({}, {}): {}\n\n", ci.id, ci.name,
                                warning ? "warning" : "error", message_shape(ci.format));
  const Explanation* e = find_explanation(ci.id);
  if (!e) {
    out += "No long explanation is written for this code yet.\n";
    return out;
  }
  out += fmt::format("{}\n\nWhy it matters: {}\n\n", e->meaning, e->why);
  out += e->compiles ? "Wrong:\n\n" : "Example of the problem:\n\n";
  append_indented(out, e->wrong);
  out += e->compiles ? "\nRight:\n\n" : "\nInstead:\n\n";
  append_indented(out, e->right);
  if (warning) {
    out += fmt::format(
        "\nThis is a warning: the build succeeds. `-Werror` makes it fail, `-Wno-{0}` silences "
        "it everywhere, and `allow {0} \"reason\"` in the spec accepts it where it is "
        "deliberate (at the top level for the whole spec, in a service for that service).\n",
        ci.id);
  }
  return out;
}

int explain_command(const std::vector<std::string_view>& args, std::string& out, std::string& err) {
  static constexpr std::string_view kUsage =
      "usage: deployc explain CODE\n"
      "\n"
      "Prints the long explanation of a diagnostic code (like D0402): what it means, why it\n"
      "matters, a wrong and a right example.\n"
      "\n"
      "exit status: 0 ok, 2 unknown code or usage error\n";
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    out = kUsage;
    return 0;
  }
  if (args.size() != 1) {
    err = fmt::format("deployc: error: {}\ntry `deployc explain --help`\n",
                      args.empty() ? "`explain` needs a code, e.g. `deployc explain D0402`"
                                   : "`explain` takes one code");
    return 2;
  }
  std::string id(args[0]);
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (const std::optional<Code> code = code_from_id(id)) {
    out = render_explanation(*code);
    return 0;
  }
  std::vector<std::string> ids;
  for (const CodeInfo& c : all_codes()) ids.emplace_back(c.id);
  std::string hint = "codes look like `D0402`; every diagnostic prints its code";
  if (auto near = closest(id, ids)) hint = fmt::format("did you mean `{}`?", *near);
  err = fmt::format("deployc: error: unknown diagnostic code `{}`\n{}\n", args[0], hint);
  return 2;
}

}  // namespace deployc::diag
