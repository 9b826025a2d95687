#include "driver/cli.hpp"

int main(int argc, char** argv) { return deployc::driver::run_cli(argc, argv); }
