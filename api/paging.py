from rest_framework.pagination import PageNumberPagination

from duban.params import int_param, page_param


class Paging(PageNumberPagination):
    """?page=N&page_size=M (at most 500 a page); other values are refused with a 400."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return page_param(request.query_params, self.page_query_param)

    def get_page_size(self, request):
        return int_param(request.query_params, self.page_size_query_param, self.page_size, maximum=self.max_page_size)
