"""What runs inside the sandbox: the student's kernel (`__main__`) and the plain-data codec it shares with
the checker (`codec`). Nothing here imports the rest of `autograder`, so only this folder is bound in."""
