// Entry point of the agent inbox page (/inbox): loads the stylesheet and mounts the app.
import { render } from 'preact';
import { App } from './components/App';
import { PAGE_TITLE } from './state/useUnreadTitle';
import './inbox.css';

document.title = PAGE_TITLE;
const root = document.getElementById('root');
if (root) render(<App />, root);
