"""Course tooling: build the student release and the reference notebooks, grade a class."""
