"""nbgrader configuration of the autoencoder course (course root = this folder)."""

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "autoencoders"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"

# Stubs left in the student version.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Grading runs the notebooks in the fast profile; one cell may take at most this long.
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True
