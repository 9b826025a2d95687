// std::visit helper: `std::visit(overloaded{[](A&){…}, [](B&){…}}, v)`.
#pragma once

namespace deployc {

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

}  // namespace deployc
