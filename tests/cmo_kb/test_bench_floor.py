"""The benchmark's floor view returns a constant body of the asked size, and is not routed by default."""

from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from cmo_kb import bench


def test_the_floor_returns_exactly_the_asked_number_of_bytes():
    response = bench.floor(RequestFactory().get("/bench/floor/", {"bytes": "20347"}))

    assert response.status_code == 200
    assert response.content == b"x" * 20347


def test_the_floor_refuses_a_size_that_is_not_a_number():
    response = bench.floor(RequestFactory().get("/bench/floor/", {"bytes": "lots"}))

    assert response.status_code == 400


def test_the_floor_is_not_routed_unless_the_benchmark_turns_it_on():
    try:
        reverse("bench-floor")
    except NoReverseMatch:
        return
    raise AssertionError("/bench/floor/ is routed although KB_BENCH_FLOOR is off")
