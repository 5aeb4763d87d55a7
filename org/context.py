from org.scoping import scope_for


def scope(request):
    if not hasattr(request, "user"):
        return {}
    return {"scope": scope_for(request)}
