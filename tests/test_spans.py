from reuse.text.spans import union_length


def test_union_length_counts_overlaps_once_and_touching_spans_fully():
    assert union_length([(0, 10), (5, 15), (20, 25)]) == 20
    assert union_length([(20, 25), (0, 10), (10, 12)]) == 17  # order-free; touching spans add up
    assert union_length([(3, 9), (4, 5)]) == 6  # a span inside another adds nothing
    assert union_length([]) == 0
