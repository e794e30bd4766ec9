// How identifiers look on screen and in logs: never in clear.
#include <catch2/catch.hpp>

#include "domain/privacy.h"

TEST_CASE("Names are masked, keeping the first character (and the last for Chinese names)", "[privacy]") {
    CHECK(kiosk::mask_name("张三明") == "张*明");
    CHECK(kiosk::mask_name("张明") == "张*");
    CHECK(kiosk::mask_name("欧阳小明") == "欧**明");
    CHECK(kiosk::mask_name("Ana López") == "A** L****");
    CHECK(kiosk::mask_name("李") == "*");
    CHECK(kiosk::mask_name("") == "");
}

TEST_CASE("Card numbers show only their last four digits", "[privacy]") {
    CHECK(kiosk::mask_card("6200123412341234") == "•••• 1234");
    CHECK(kiosk::mask_card("6200 1234 1234 9876") == "•••• 9876");
    CHECK(kiosk::mask_card("123") == "••••");
}

TEST_CASE("Phone numbers keep the first three and last four digits", "[privacy]") {
    CHECK(kiosk::mask_phone("13812345678") == "138****5678");
    CHECK(kiosk::mask_phone("+86 138 1234 5678") == "861******5678");
    CHECK(kiosk::mask_phone("12345") == "*****");
}
