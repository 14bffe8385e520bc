from reuse.text.spans import union_length


def test_union_length_counts_overlaps_once_and_touching_spans_fully():
    assert union_length([(0, 10), (5, 15), (20, 25)]) == 20
    assert union_length([(20, 25), (0, 10), (10, 12)]) == 17  # order-free; touching spans add up
    assert union_length([(3, 9), (4, 5)]) == 6  # a span inside another adds nothing
    assert union_length([]) == 0


def test_overlaps_and_overlap_length_on_half_open_spans():
    from reuse.text.spans import contains, overlap_length, overlaps

    assert overlaps(0, 5, 4, 9) and not overlaps(0, 5, 5, 9)  # touching spans share nothing
    assert overlap_length(0, 5, 3, 9) == 2 and overlap_length(0, 5, 7, 9) == 0
    assert contains((2, 8), 3, 8) and not contains((2, 8), 1, 4)
